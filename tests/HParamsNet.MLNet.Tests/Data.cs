using System.IO.Compression;

namespace HParamsNet.MLNet.Tests;

/// <summary>Small slices of the real data sets, so a fit takes milliseconds.</summary>
internal static class Data
{
    private static string File(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", name);

    public static TabularData For(MLTask task, int rows = 150)
    {
        TabularData all = task switch
        {
            MLTask.BinaryClassification => TabularData.ReadCsv(task, System.IO.File.OpenText(File("breast_cancer.csv"))),
            MLTask.MulticlassClassification => TabularData.ReadCsv(task, new StreamReader(new GZipStream(System.IO.File.OpenRead(File("digits.csv.gz")), CompressionMode.Decompress))),
            _ => TabularData.ReadCsv(task, System.IO.File.OpenText(File("diabetes.csv"))),
        };
        return all.Split(testFraction: 1 - (rows / (double)all.Rows), seed: 1).Train;
    }
}
