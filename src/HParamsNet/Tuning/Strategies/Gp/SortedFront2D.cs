namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// A two-objective front sorted once, so that the hypervolume a point would add is found in
/// O(log n + k) (k the front points inside the point's box) instead of a sort per point: the
/// multi-objective GP asks this for about a thousand candidates a proposal, and fronts of
/// hundreds of points made it the proposal's main cost.
/// </summary>
internal sealed class SortedFront2D
{
    private readonly double[] _x; // ascending
    private readonly double[] _y; // descending: the points of a front, no one dominating another
    private readonly double[] _reference;

    public SortedFront2D(IEnumerable<double[]> front, double[] reference)
    {
        _reference = reference;
        var points = front.Where(p => p[0] < reference[0] && p[1] < reference[1]).OrderBy(p => p[0]).ThenBy(p => p[1]).ToList();
        var kept = new List<double[]>(points.Count);
        foreach (double[] p in points)
        {
            if (kept.Count == 0 || p[1] < kept[^1][1])
            {
                kept.Add(p); // a point at or above the last kept one's height is dominated by it
            }
        }

        _x = [.. kept.Select(p => p[0])];
        _y = [.. kept.Select(p => p[1])];
    }

    /// <summary>The area <paramref name="point"/> dominates below the reference point that no front point does.</summary>
    public double Improvement(double[] point)
    {
        double px = point[0];
        double py = point[1];
        if (px >= _reference[0] || py >= _reference[1])
        {
            return 0;
        }

        // The front points left of the point's x (the last of them sets the ceiling over px) and
        // those inside its box, walked left to right while they are above py.
        int first = LowerBound(px); // first index with x >= px
        double ceiling = first > 0 ? Math.Max(_y[first - 1], py) : _reference[1];
        if (ceiling <= py)
        {
            return 0; // a point left of it is as low: dominated
        }

        double area = 0;
        double x = px;
        int i = first;
        for (; i < _x.Length && _y[i] > py; i++)
        {
            area += (_x[i] - x) * (ceiling - py);
            x = _x[i];
            ceiling = _y[i];
        }

        // The first point at or below py (or none) closes the last strip.
        double right = i < _x.Length ? _x[i] : _reference[0];
        area += (right - x) * (ceiling - py);
        return area;
    }

    private int LowerBound(double value)
    {
        int low = 0;
        int high = _x.Length;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_x[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
