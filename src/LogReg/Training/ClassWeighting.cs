namespace LogReg.Training;

/// <summary>How much each class's samples count in the training loss.</summary>
public enum ClassWeighting
{
    /// <summary>Every sample weighs 1.</summary>
    None,

    /// <summary>
    /// Each sample weighs n / (k · count of its class) (scikit-learn's class_weight="balanced"): every class counts as much
    /// in total, however many samples it has.
    /// </summary>
    Balanced,
}

/// <summary>The balanced class weights, written once for the command line and the estimators.</summary>
internal static class ClassBalance
{
    /// <summary>
    /// n / (k · count) for each of the <paramref name="classCount"/> classes of <paramref name="labels"/> (0..k−1); a class
    /// without samples gets 1 (it adds nothing to the loss whatever its weight).
    /// </summary>
    public static double[] Weights(ReadOnlySpan<int> labels, int classCount)
    {
        var counts = new int[classCount];
        foreach (var label in labels)
        {
            counts[label]++;
        }

        var weights = new double[classCount];
        for (var c = 0; c < classCount; c++)
        {
            weights[c] = counts[c] > 0 ? (double)labels.Length / ((double)classCount * counts[c]) : 1;
        }

        return weights;
    }

    /// <summary>
    /// <paramref name="problem"/> weighted as <paramref name="weighting"/> says (unchanged for
    /// <see cref="ClassWeighting.None"/>, so unweighted training runs exactly as before).
    /// </summary>
    public static Core.LinearProblem Apply(Core.LinearProblem problem, ClassWeighting weighting)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (weighting == ClassWeighting.None)
        {
            return problem;
        }

        var perClass = Weights(problem.Labels, problem.ClassCount);
        return problem.WithSampleWeights(Array.ConvertAll(problem.Labels, label => (float)perClass[label]));
    }
}
