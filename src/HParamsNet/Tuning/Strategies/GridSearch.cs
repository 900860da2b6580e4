namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// Every combination of the hparams' values (scikit-learn's GridSearchCV, the HParams
/// tutorial's nested loops): discrete domains give their values; intervals give their endpoints
/// by default, as in the tutorial, or <see cref="PointsPerInterval"/> evenly spaced points (in the
/// logarithm for log-scale intervals). Combinations are tried in declaration order, the last
/// hparam changing fastest; on resume, those already tried are skipped.
/// </summary>
public sealed class GridSearch : SearchStrategy
{
    /// <summary>Creates a grid.</summary>
    /// <param name="pointsPerInterval">Points per interval domain; at least 1 (1 gives the midpoint).</param>
    public GridSearch(int pointsPerInterval = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pointsPerInterval, 1);
        PointsPerInterval = pointsPerInterval;
    }

    /// <summary>Points per interval domain.</summary>
    public int PointsPerInterval { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<HParam, object>? Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Enumerate(context.Space).FirstOrDefault(candidate => !context.IsTaken(candidate));
    }

    /// <inheritdoc/>
    public override long? Capacity(IReadOnlyList<HParam> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.Aggregate(1L, (product, hparam) => product * Points(hparam.Domain).Count);
    }

    /// <summary>Every combination, in the order they are tried.</summary>
    /// <param name="space">The hparams.</param>
    public IEnumerable<IReadOnlyDictionary<HParam, object>> Enumerate(IReadOnlyList<HParam> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        IReadOnlyList<object>[] axes = space.Select(h => Points(h.Domain)).ToArray();
        var index = new int[axes.Length];
        if (axes.Any(a => a.Count == 0))
        {
            yield break;
        }

        while (true)
        {
            var combination = new Dictionary<HParam, object>(space.Count);
            for (int i = 0; i < axes.Length; i++)
            {
                combination[space[i]] = axes[i][index[i]];
            }

            yield return combination;

            int axis = axes.Length - 1;
            while (axis >= 0 && ++index[axis] == axes[axis].Count)
            {
                index[axis] = 0;
                axis--;
            }

            if (axis < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>The grid points of one domain.</summary>
    /// <param name="domain">A domain.</param>
    public IReadOnlyList<object> Points(Domain domain) => domain switch
    {
        Discrete d => d.Values,
        RealInterval r => Spaced(r.MinValue, r.MaxValue, r.Log).Cast<object>().ToArray(),
        IntInterval i => Spaced(i.MinValue, i.MaxValue, i.Log).Select(v => (object)(long)Math.Round(v)).Distinct().ToArray(),
        _ => throw new NotSupportedException($"GridSearch cannot enumerate {domain}."),
    };

    private double[] Spaced(double min, double max, bool log)
    {
        if (PointsPerInterval == 1 || min == max)
        {
            return [log ? Math.Sqrt(min * max) : (min + max) / 2];
        }

        double low = log ? Math.Log(min) : min;
        double high = log ? Math.Log(max) : max;
        return Enumerable.Range(0, PointsPerInterval)
            .Select(i => i == 0 ? min : i == PointsPerInterval - 1 ? max : log ? Math.Exp(low + ((high - low) * i / (PointsPerInterval - 1))) : low + ((high - low) * i / (PointsPerInterval - 1)))
            .ToArray();
    }
}
