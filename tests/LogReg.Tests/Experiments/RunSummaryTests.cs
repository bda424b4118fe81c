using LogReg.Core;
using LogReg.Data;
using LogReg.Experiments;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Training;

namespace LogReg.Tests.Experiments;

public sealed class RunSummaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("logreg-summary-").FullName;
    private readonly RunKey _key = new(new GridPoint(0, [], new TrainingOptions(), ScalingKind.Divide255, null), 0, -1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RunSummary? Read(string json)
    {
        File.WriteAllText(Path.Combine(_dir, RunFiles.Metrics), json);
        return RunSummary.TryRead(_key, _dir);
    }

    [Theory]
    [InlineData(LogReg.Core.ModelKind.Softmax, 0.2)]
    [InlineData(LogReg.Core.ModelKind.OneVsRest, 0.0)]
    [InlineData(LogReg.Core.ModelKind.Logistic, 0.25)]
    public void A_run_summarised_in_memory_equals_its_metrics_file_read_back(LogReg.Core.ModelKind kind, double validationFraction)
    {
        // The runner aggregates fresh runs from memory and resumed ones from disk: both must give the same numbers.
        var preparation = kind == LogReg.Core.ModelKind.Logistic ? new DataPreparation { Classes = ClassSubset.Pair(0, 2) } : new DataPreparation();
        var data = PreparedData.Prepare(Fixtures.Synthetic.Images(150, 3, seed: 4), Fixtures.Synthetic.Images(40, 3, seed: 5), preparation, validationFraction, seed: 1);
        var outcome = TrainingPipeline.Train(data, kind, new TrainingOptions { Epochs = 3, BatchSize = 16 });

        RunFiles.Write(_dir, outcome);

        Assert.Equal(RunSummary.TryRead(_key, _dir), RunSummary.From(_key, outcome));
    }

    [Fact]
    public void A_run_without_metrics_has_not_finished()
    {
        Assert.Null(RunSummary.TryRead(_key, _dir));
    }

    [Fact]
    public void Metrics_are_read_as_a_model_file_reads_them()
    {
        var summary = Read("""{"train_accuracy":0.9,"train_loss":0.3,"test_accuracy":0.8,"epochs_run":4,"best_epoch":3,"stop_reason":"EarlyStopped","train_seconds":1.5,"weight_norm":2}""")!;

        Assert.Equal((0.9, 0.3, null, 0.8, 4, 3, LogReg.Training.StopReason.EarlyStopped, 1.5, 2.0, null),
            (summary.TrainAccuracy, summary.TrainLoss, summary.ValidationAccuracy, summary.TestAccuracy, summary.EpochsRun, summary.BestEpoch, summary.StopReason, summary.FitSeconds, summary.WeightNorm, summary.WeightL1Norm));
    }

    [Fact]
    public void A_stop_reason_that_is_not_text_reads_as_unknown()
    {
        Assert.Equal(LogReg.Training.StopReason.Unknown, Read("""{"train_accuracy":0.9,"stop_reason":5}""")!.StopReason);
        Assert.Equal(LogReg.Training.StopReason.Unknown, Read("""{"train_accuracy":0.9,"stop_reason":"3"}""")!.StopReason);
        Assert.Equal(LogReg.Training.StopReason.Unknown, Read("""{"train_accuracy":0.9,"stop_reason":"Exploded"}""")!.StopReason);
    }

    [Theory]
    [InlineData("[1, 2]", "must hold a JSON object")]
    [InlineData("{\"train_accuracy\":", "not valid JSON")]
    public void A_damaged_metrics_file_is_a_data_error_naming_it(string json, string expected)
    {
        var error = Assert.Throws<LogRegDataException>(() => Read(json));

        Assert.Contains(RunFiles.Metrics, error.Message);
        Assert.Contains(expected, error.Message);
    }
}
