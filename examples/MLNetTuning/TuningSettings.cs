using HParamsNet.Storage;

namespace HParamsNet.Examples.MLNet;

/// <summary>The command line, read.</summary>
internal sealed record TuningSettings(string? LogDir, int Trials, int Folds, string Datasets, string? StorageUrl, string? Study)
{
    /// <summary>The data sets asked for, in the order given.</summary>
    public IReadOnlyList<string> DatasetNames => [.. Datasets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>What is wrong with the settings, in words, or <see langword="null"/>.</summary>
    public string? Check()
    {
        string[] known = [.. MLNetDatasets.All.Select(d => d.Name)];
        if (DatasetNames.FirstOrDefault(name => !known.Contains(name)) is string unknown)
        {
            return $"--datasets: no data set '{unknown}'; there are {string.Join(", ", known)}.";
        }

        if (DatasetNames.Count == 0)
        {
            return $"--datasets: name at least one of {string.Join(", ", known)}.";
        }

        if (StorageUrl is not null)
        {
            try
            {
                _ = StudyStorageUrl.Parse(StorageUrl);
            }
            catch (ArgumentException e)
            {
                return $"--storage: {e.Message}";
            }
        }

        return Trials < 1 ? $"--trials {Trials}: give at least 1."
            : Folds < 2 ? $"--folds {Folds}: give at least 2."
            : (StorageUrl is null) != (Study is null) ? "--storage and --study go together: the storage every process shares, and the study's name in it."
            : null;
    }
}
