using LogReg.Data;
using LogReg.Models;
using LogReg.Preprocessing;

namespace LogReg.Reporting;

/// <summary>
/// Finds the images a model was trained and tested on, for the report's image sections (class averages, samples,
/// mistakes): loaded once per dataset and split, checked against the checksums the model file records, and selected
/// (subsets, classes) as in training. When they cannot be had the report says why and leaves those sections out.
/// </summary>
public sealed class ReportDataSource
{
    private readonly DatasetLoader? _loader;
    private readonly string? _location;
    private readonly Dictionary<(string Name, DatasetSplit Split), (Dataset? Data, string? Problem)> _raw = [];

    /// <param name="loader">Loads datasets by name or folder; null to use only preloaded data.</param>
    /// <param name="location">
    /// Where the model's dataset is (a registered name or a folder), when not under the name the model file records:
    /// a model file names a dataset read from a folder by the folder's name only.
    /// </param>
    public ReportDataSource(DatasetLoader? loader, string? location = null)
    {
        _loader = loader;
        _location = location;
    }

    /// <summary>The same loader and cache, looking for the dataset at <paramref name="location"/>.</summary>
    public ReportDataSource At(string location)
    {
        var source = new ReportDataSource(_loader, location);
        foreach (var (key, value) in _raw)
        {
            source._raw[key] = value;
        }

        return source;
    }

    /// <summary>A source with no data: the report leaves out the image sections.</summary>
    public static ReportDataSource None { get; } = new(null);

    /// <summary>Adds a split already in memory (as loaded, before subsets and class selection), so it is not read again.</summary>
    public void Preload(Dataset raw, DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(raw);
        _raw[(raw.Provenance.Name, split)] = (raw, null);
    }

    /// <summary>The model's training or test images, selected as in training, or why they are not available.</summary>
    public (Dataset? Data, string? Problem) For(TrainedModel model, DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(model);
        var key = (model.Dataset.Name, split);
        if (!_raw.TryGetValue(key, out var entry))
        {
            entry = Load(_location ?? model.Dataset.Name, split);
            _raw[key] = entry;
        }

        if (entry.Data is not { } raw)
        {
            return (null, entry.Problem);
        }

        var expected = split == DatasetSplit.Train ? model.Dataset.TrainSha256 : model.Dataset.TestSha256;
        if (expected is not null && !string.Equals(expected, raw.Provenance.ContentSha256, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"the {DatasetLoader.SplitName(split)} images of {model.Dataset.Name} on this machine are not the ones the model was trained with (their checksum differs)");
        }

        if (raw.Shape != model.Shape)
        {
            return (null, $"the {DatasetLoader.SplitName(split)} images of {model.Dataset.Name} are {raw.Shape}, the model takes {model.Shape}");
        }

        return (PreparedData.Select(raw, model.Preparation, isTest: split == DatasetSplit.Test), null);
    }

    private (Dataset? Data, string? Problem) Load(string name, DatasetSplit split)
    {
        if (_loader is null)
        {
            return (null, "no dataset was given to the report");
        }

        try
        {
            return (_loader.Load(name, split), null);
        }
        catch (LogRegDataException e)
        {
            return (null, e.Message);
        }
    }
}
