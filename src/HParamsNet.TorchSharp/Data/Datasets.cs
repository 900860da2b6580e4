using System.Globalization;
using System.IO.Compression;
using System.Reflection;

namespace HParamsNet.TorchSharp.Data;

/// <summary>
/// Small real data sets shipped inside this assembly (UCI, CC BY 4.0; see
/// Data/Resources/ATTRIBUTION.md): no download, so examples and tests run offline.
/// </summary>
public static class Datasets
{
    /// <summary>
    /// Handwritten digits: 1,797 images of 8x8 pixels (counts 0..16), ten classes. UCI "Optical
    /// Recognition of Handwritten Digits" (Alpaydin and Kaynak, 1998), test part.
    /// </summary>
    public static TabularDataset LoadDigits()
    {
        using Stream compressed = Open("digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(compressed, CompressionMode.Decompress));
        return Parse(reader, header: false, classNames: Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>
    /// Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 real features, 0 = malignant,
    /// 1 = benign. UCI (Wolberg, Street and Mangasarian, 1995).
    /// </summary>
    public static TabularDataset LoadBreastCancer()
    {
        using Stream stream = Open("breast_cancer.csv");
        using var reader = new StreamReader(stream);
        return Parse(reader, header: true, classNames: null);
    }

    /// <summary>
    /// Reads a CSV of features then an integer label per line. With <paramref name="header"/>,
    /// the first line is <c>rows,features,class names...</c> (scikit-learn's layout).
    /// </summary>
    /// <exception cref="InvalidDataException">A line that does not parse; the message names it.</exception>
    public static TabularDataset Parse(TextReader reader, bool header, IReadOnlyList<string>? classNames)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (header)
        {
            string first = reader.ReadLine() ?? throw new InvalidDataException("The data set is empty.");
            classNames ??= first.Split(',').Skip(2).ToArray();
        }

        var features = new List<float>();
        var targets = new List<float>();
        int columns = -1;
        int lineNumber = header ? 1 : 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            if (columns < 0)
            {
                columns = cells.Length - 1;
            }

            if (cells.Length - 1 != columns || columns < 1)
            {
                throw new InvalidDataException($"Line {lineNumber} has {cells.Length} values; expected {columns + 1} (features, then the label).");
            }

            foreach (string cell in cells.AsSpan(0, columns))
            {
                features.Add(ParseNumber(cell, lineNumber));
            }

            targets.Add(ParseNumber(cells[^1], lineNumber));
        }

        return new TabularDataset(features.ToArray(), columns, targets.ToArray(), classNames);
    }

    private static float ParseNumber(string cell, int lineNumber) =>
        float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
            ? value
            : throw new InvalidDataException($"Line {lineNumber}: '{cell}' is not a number.");

    private static Stream Open(string name)
    {
        Assembly assembly = typeof(Datasets).Assembly;
        string resource = $"HParamsNet.TorchSharp.Data.Resources.{name}";
        return assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The data set '{name}' is missing from {assembly.GetName().Name}; the package is damaged, reinstall it.");
    }
}
