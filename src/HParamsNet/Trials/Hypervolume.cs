namespace HParamsNet.Trials;

/// <summary>
/// The hypervolume of a set of points whose every coordinate is minimised: the measure of the
/// region they dominate up to a reference point, computed exactly (no sampling). Two coordinates:
/// a sweep over the points sorted by the first, O(n log n); more: slices along the last coordinate,
/// each the hypervolume of one dimension fewer (three coordinates: O(n² log n)). Points that do not
/// dominate the reference point add nothing.
/// </summary>
public static class Hypervolume
{
    /// <summary>The hypervolume of <paramref name="points"/> up to <paramref name="reference"/>.</summary>
    /// <param name="points">The points (losses), each of the reference point's dimension.</param>
    /// <param name="reference">The reference point: a point is counted where it is below it in every coordinate.</param>
    /// <exception cref="ArgumentException">A point's dimension differs from the reference point's, or a coordinate is NaN.</exception>
    public static double Of(IEnumerable<double[]> points, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Count == 0)
        {
            throw new ArgumentException("The reference point has no coordinates.", nameof(reference));
        }

        var inside = new List<double[]>();
        foreach (double[] point in points)
        {
            if (point.Length != reference.Count || point.Any(double.IsNaN))
            {
                throw new ArgumentException($"Point ({string.Join(", ", point)}) is not a point of {reference.Count} coordinates.", nameof(points));
            }

            bool below = true;
            for (int i = 0; i < point.Length && below; i++)
            {
                below = point[i] < reference[i];
            }

            if (below)
            {
                inside.Add(point);
            }
        }

        return Measure(inside, [.. reference], reference.Count);
    }

    /// <summary>
    /// How much <paramref name="point"/> adds to the hypervolume of <paramref name="front"/>: the
    /// volume it dominates that no point of the front does (0 when a point of the front dominates
    /// it or it is not below the reference point).
    /// </summary>
    /// <param name="front">The points so far (losses).</param>
    /// <param name="point">The new point.</param>
    /// <param name="reference">The reference point.</param>
    public static double Improvement(IReadOnlyList<double[]> front, double[] point, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(front);
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(reference);
        double box = 1;
        for (int i = 0; i < point.Length; i++)
        {
            if (!(point[i] < reference[i]))
            {
                return 0;
            }

            box *= reference[i] - point[i];
        }

        // The region the point dominates, less the part the front already covers there: the
        // hypervolume of each front point clipped to the point's box.
        var clipped = new List<double[]>(front.Count);
        foreach (double[] q in front)
        {
            var c = new double[point.Length];
            bool inside = true;
            for (int i = 0; i < c.Length && inside; i++)
            {
                c[i] = Math.Max(point[i], q[i]);
                inside = c[i] < reference[i];
            }

            if (inside)
            {
                if (c.AsSpan().SequenceEqual(point))
                {
                    return 0; // a front point dominates it, or equals it
                }

                clipped.Add(c);
            }
        }

        return Math.Max(0, box - Measure(clipped, [.. reference], reference.Count));
    }

    // The hypervolume of the first `dimensions` coordinates of points that are all below the
    // reference. It leaves `points` as they are, so a caller can pass a list it keeps growing.
    private static double Measure(List<double[]> points, double[] reference, int dimensions)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        if (dimensions == 1)
        {
            return reference[0] - points.Min(p => p[0]);
        }

        if (dimensions == 2)
        {
            return Sweep2D(points, reference);
        }

        // Slices along the last coordinate: between two consecutive values of it, the points at or
        // below the lower one dominate a region whose cross-section is their hypervolume in one
        // dimension fewer.
        int last = dimensions - 1;
        double[][] sorted = [.. points];
        Array.Sort(sorted, (a, b) => a[last].CompareTo(b[last]));
        double volume = 0;
        var below = new List<double[]>(sorted.Length);
        for (int i = 0; i < sorted.Length; i++)
        {
            below.Add(sorted[i]);
            double top = i + 1 < sorted.Length ? sorted[i + 1][last] : reference[last];
            if (top > sorted[i][last])
            {
                volume += (top - sorted[i][last]) * Measure(below, reference, last);
            }
        }

        return volume;
    }

    // A hot path of the multi-objective strategies (a hypervolume improvement per candidate): an
    // array sort rather than LINQ.
    private static double Sweep2D(List<double[]> points, double[] reference)
    {
        double[][] sorted = [.. points];
        Array.Sort(sorted, static (a, b) => a[0] != b[0] ? a[0].CompareTo(b[0]) : a[1].CompareTo(b[1]));
        double area = 0;
        double ceiling = reference[1];
        foreach (double[] point in sorted)
        {
            if (point[1] < ceiling)
            {
                area += (reference[0] - point[0]) * (ceiling - point[1]);
                ceiling = point[1];
            }
        }

        return area;
    }
}
