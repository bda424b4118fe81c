using System.Globalization;
using System.Text;
using LogReg.Core;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Experiments;

/// <summary>One combination of grid values: its parameters as written, and the options, scaling and model it yields.</summary>
public sealed record GridPoint(int Index, IReadOnlyList<KeyValuePair<string, string>> Parameters, TrainingOptions Options, ScalingKind Scaling, ModelKind? Model)
{
    /// <summary>A folder name: "p03_learning_rate=0.01_batch_size=64" (just "p00" for an experiment without a grid).</summary>
    public string Id
    {
        get
        {
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"p{Index:00}"));
            foreach (var (name, value) in Parameters)
            {
                text.Append('_').Append(name).Append('=').Append(Sanitize(value));
            }

            return text.ToString();
        }
    }

    /// <summary>"learning_rate=0.01, batch_size=64".</summary>
    public string Describe() => Parameters.Count == 0 ? "(no grid)" : string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"));

    /// <summary>
    /// The cartesian product of the spec's grid axes in the order written, the last axis changing fastest. Each point's
    /// options are the spec's fixed options with the axis values applied.
    /// </summary>
    public static IReadOnlyList<GridPoint> Expand(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var points = new List<GridPoint>();
        var axes = spec.Grid;
        var counts = axes.Select(a => a.Values.Count).ToArray();
        var total = counts.Aggregate(1, (a, b) => checked(a * b));
        var choice = new int[axes.Count];
        for (var index = 0; index < total; index++)
        {
            var remainder = index;
            for (var a = axes.Count - 1; a >= 0; a--)
            {
                choice[a] = remainder % counts[a];
                remainder /= counts[a];
            }

            var options = spec.Options;
            var scaling = spec.Preparation.Scaling;
            var model = spec.Model;
            var parameters = new List<KeyValuePair<string, string>>();
            for (var a = 0; a < axes.Count; a++)
            {
                var value = axes[a].Values[choice[a]];
                parameters.Add(new(axes[a].Name, value));
                switch (axes[a].Name)
                {
                    case "scaling":
                        scaling = ModelFile.ParseScaling(value)!.Value;
                        break;
                    case "model":
                        model = ModelFile.ParseKind(value)!.Value;
                        break;
                    default:
                        options = TrainingOptionSchema.Apply(options, axes[a].Name, value);
                        break;
                }
            }

            points.Add(new GridPoint(index, parameters, TrainingOptionSchema.ForOptimizer(options), scaling, model));
        }

        return points;
    }

    private static string Sanitize(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value)
        {
            text.Append(char.IsLetterOrDigit(c) || c is '.' or '-' or '+' ? c : '-');
        }

        return text.ToString();
    }
}

/// <summary>One training run of an experiment: a grid point, a seed, and a fold (0 for a hold-out or no validation).</summary>
public sealed record RunKey(GridPoint Point, int Seed, int Fold)
{
    /// <summary>The run's folder under the experiment's: "p03_learning_rate=0.01/seed0-fold2".</summary>
    public string RelativeDirectory => Path.Combine(Point.Id, string.Create(CultureInfo.InvariantCulture, $"seed{Seed}-fold{Fold}"));
}
