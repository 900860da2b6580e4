namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// The last few kernel fits of a <see cref="GpSearch"/>, each with the observations it was fitted
/// on: a fit is found only for exactly those observations, so using one gives what refitting would.
/// Thread-safe: one strategy instance may serve parallel workers.
/// </summary>
internal sealed class HyperparameterMemo
{
    private const int Capacity = 8; // a fit per objective and constraint of a study, and the refit before
    private readonly List<Entry> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>θ fitted on the first <paramref name="count"/> of these observations, if it is known.</summary>
    public double[]? Find(List<double[]> points, List<double> losses, int count)
    {
        lock (_lock)
        {
            return _entries.Find(e => e.Matches(points, losses, count))?.Theta;
        }
    }

    public void Add(List<double[]> points, List<double> losses, int count, double[] theta)
    {
        var entry = new Entry([.. points.Take(count)], [.. losses.Take(count)], theta);
        lock (_lock)
        {
            _entries.Add(entry);
            if (_entries.Count > Capacity)
            {
                _entries.RemoveAt(0);
            }
        }
    }

    private sealed record Entry(double[][] Points, double[] Losses, double[] Theta)
    {
        public bool Matches(List<double[]> points, List<double> losses, int count)
        {
            if (Points.Length != count || points.Count < count)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (losses[i].CompareTo(Losses[i]) != 0 || !points[i].AsSpan().SequenceEqual(Points[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
