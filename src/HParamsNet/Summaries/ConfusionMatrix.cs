namespace HParamsNet.Summaries;

/// <summary>
/// A confusion matrix and its picture for the Images dashboard: row = true class, column =
/// predicted class, each cell a square shaded from white (none of the row) to blue (all of it),
/// the diagonal framed in green, so that a glance shows where a classifier errs.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    /// <summary>Counts the pairs of true and predicted classes.</summary>
    /// <param name="classes">How many classes; at least 2.</param>
    /// <param name="truth">Each example's true class, in [0, classes).</param>
    /// <param name="predicted">Each example's predicted class, in [0, classes).</param>
    /// <exception cref="ArgumentException">Different lengths, or a class outside [0, classes).</exception>
    public ConfusionMatrix(int classes, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException($"A confusion matrix pairs each true class with a prediction: got {truth.Length} and {predicted.Length}.", nameof(predicted));
        }

        _counts = new long[classes, classes];
        for (int i = 0; i < truth.Length; i++)
        {
            if ((uint)truth[i] >= (uint)classes || (uint)predicted[i] >= (uint)classes)
            {
                throw new ArgumentException($"Example {i} has classes {truth[i]} (true) and {predicted[i]} (predicted); classes are 0 to {classes - 1}.", nameof(truth));
            }

            _counts[truth[i], predicted[i]]++;
        }

        Classes = classes;
    }

    /// <summary>How many classes.</summary>
    public int Classes { get; }

    /// <summary>How many examples of class <paramref name="truth"/> were predicted <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => _counts[truth, predicted];

    /// <summary>The matrix as a Markdown table, for the Text dashboard.</summary>
    /// <param name="classNames">A name per class; indices when <see langword="null"/>.</param>
    public string ToMarkdown(IReadOnlyList<string>? classNames = null)
    {
        string Name(int c) => classNames is not null && c < classNames.Count ? classNames[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var text = new System.Text.StringBuilder();
        text.Append("| true \\ predicted |");
        for (int c = 0; c < Classes; c++)
        {
            text.Append(' ').Append(Name(c)).Append(" |");
        }

        text.Append("\n|---|").Append(string.Concat(Enumerable.Repeat("---:|", Classes))).Append('\n');
        for (int r = 0; r < Classes; r++)
        {
            text.Append("| ").Append(Name(r)).Append(" |");
            for (int c = 0; c < Classes; c++)
            {
                text.Append(' ').Append(_counts[r, c].ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" |");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The picture: RGB pixels, height x width x 3, each cell <paramref name="cellSize"/> pixels square.</summary>
    /// <param name="cellSize">Pixels per cell side; at least 3.</param>
    /// <returns>The pixels and the image's side (height = width).</returns>
    public (byte[] Pixels, int Side) Render(int cellSize = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellSize, 3);
        int side = Classes * cellSize;
        var pixels = new byte[side * side * 3];
        for (int r = 0; r < Classes; r++)
        {
            long total = 0;
            for (int c = 0; c < Classes; c++)
            {
                total += _counts[r, c];
            }

            for (int c = 0; c < Classes; c++)
            {
                double share = total == 0 ? 0 : _counts[r, c] / (double)total;
                (byte red, byte green, byte blue) = ((byte)(255 - (208 * share)), (byte)(255 - (144 * share)), (byte)(255 - (36 * share)));
                for (int y = 0; y < cellSize; y++)
                {
                    for (int x = 0; x < cellSize; x++)
                    {
                        bool frame = r == c && (x == 0 || y == 0 || x == cellSize - 1 || y == cellSize - 1);
                        int at = ((((r * cellSize) + y) * side) + (c * cellSize) + x) * 3;
                        (pixels[at], pixels[at + 1], pixels[at + 2]) = frame ? ((byte)43, (byte)138, (byte)62) : (red, green, blue);
                    }
                }
            }
        }

        return (pixels, side);
    }
}
