using LogReg.Common;
namespace LogReg.Preprocessing;

/// <summary>
/// How datasets become training data: contiguous subsets in file order first (as the seeds take "the first 20,000
/// training images"), then the class selection, then a hold-out split of the training part, then scaling fitted on what
/// remains for training.
/// </summary>
public sealed record DataPreparation
{
    /// <summary>Which classes. Default all.</summary>
    public ClassSubset Classes { get; init; } = ClassSubset.All;

    /// <summary>Keep only the first N training images (before class selection). Default all.</summary>
    public int? TrainFirst { get; init; }

    /// <summary>Keep only the last N training images. Default all.</summary>
    public int? TrainLast { get; init; }

    /// <summary>Keep only the first N test images. Default all.</summary>
    public int? TestFirst { get; init; }

    /// <summary>Keep only the last N test images (the seeds use the last 2,000). Default all.</summary>
    public int? TestLast { get; init; }

    /// <summary>Pixel scaling. Default /255.</summary>
    public ScalingKind Scaling { get; init; } = ScalingKind.Divide255;

    /// <summary>Keep class proportions in the hold-out split. Default false (a plain shuffled split, as the seeds do).</summary>
    public bool StratifyValidation { get; init; }

    /// <summary>
    /// Draw the hold-out as a seeded random sample. Default true; false holds out the first images in file order (after
    /// the subsets and the class selection), as seeds 001/002 hold out the first 10 % of their training images.
    /// </summary>
    public bool ShuffleValidation { get; init; } = true;

    /// <summary>Checks the subset options: at most one of first/last per split, sizes ≥ 1.</summary>
    public void Validate()
    {
        if (TrainFirst is not null && TrainLast is not null)
        {
            throw new InvalidSettingException("TrainFirst and TrainLast cannot both be set; choose one subset of the training images");
        }

        if (TestFirst is not null && TestLast is not null)
        {
            throw new InvalidSettingException("TestFirst and TestLast cannot both be set; choose one subset of the test images");
        }

        foreach (var (name, value) in new[] { ("TrainFirst", TrainFirst), ("TrainLast", TrainLast), ("TestFirst", TestFirst), ("TestLast", TestLast) })
        {
            if (value is < 1)
            {
                throw new InvalidSettingException($"{name} must be ≥ 1 (was {value}); leave it unset to use every image", name);
            }
        }
    }
}
