using System.IO.Compression;
using HParamsNet.MLNet;

namespace HParamsNet.Examples;

/// <summary>
/// The three data sets shipped in <c>examples/MLNetTuning/Data</c>, one per task; shared (as a
/// linked file) by the example and the bench's nested comparison so both read the same rows.
/// </summary>
internal static class MLNetDatasets
{
    /// <summary>Each data set's name, task and loader, given the directory holding the files.</summary>
    public static IReadOnlyList<(string Name, MLTask Task, Func<string, TabularData> Load)> All { get; } =
    [
        ("breast_cancer", MLTask.BinaryClassification, dir => TabularData.ReadCsv(MLTask.BinaryClassification, File.OpenText(Path.Combine(dir, "breast_cancer.csv")))),
        ("digits", MLTask.MulticlassClassification, dir => TabularData.ReadCsv(MLTask.MulticlassClassification, new StreamReader(new GZipStream(File.OpenRead(Path.Combine(dir, "digits.csv.gz")), CompressionMode.Decompress)))),
        ("diabetes", MLTask.Regression, dir => TabularData.ReadCsv(MLTask.Regression, File.OpenText(Path.Combine(dir, "diabetes.csv")))),
    ];
}
