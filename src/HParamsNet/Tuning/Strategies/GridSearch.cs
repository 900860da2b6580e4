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
        IReadOnlyList<object>[] axes = [.. space.Select(h => Points(h.Domain))];
        var parents = space.Select(h => h.Condition?.Parent).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return Count(space, axes, parents, 0, new Dictionary<string, object>(StringComparer.Ordinal));
    }

    /// <summary>Every combination, in the order they are tried; an hparam whose condition does not hold is left out (so a branch's combinations appear once).</summary>
    /// <param name="space">The hparams.</param>
    public IEnumerable<IReadOnlyDictionary<HParam, object>> Enumerate(IReadOnlyList<HParam> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        IReadOnlyList<object>[] axes = [.. space.Select(h => Points(h.Domain))];
        return From(space, axes, 0, new Dictionary<HParam, object>(space.Count), new Dictionary<string, object>(StringComparer.Ordinal));
    }

    // Declaration order, the last active hparam changing fastest: the tutorial's nested loops, with
    // an inactive hparam's loop skipped.
    private static IEnumerable<IReadOnlyDictionary<HParam, object>> From(IReadOnlyList<HParam> space, IReadOnlyList<object>[] axes, int index, Dictionary<HParam, object> chosen, Dictionary<string, object> byName)
    {
        if (index == space.Count)
        {
            yield return new Dictionary<HParam, object>(chosen);
            yield break;
        }

        HParam hparam = space[index];
        if (!ConditionalSpace.IsActiveIn(hparam, byName))
        {
            foreach (IReadOnlyDictionary<HParam, object> combination in From(space, axes, index + 1, chosen, byName))
            {
                yield return combination;
            }

            yield break;
        }

        foreach (object value in axes[index])
        {
            chosen[hparam] = value;
            byName[hparam.Name] = HParamValues.Normalize(hparam.Name, value);
            foreach (IReadOnlyDictionary<HParam, object> combination in From(space, axes, index + 1, chosen, byName))
            {
                yield return combination;
            }
        }

        chosen.Remove(hparam);
        byName.Remove(hparam.Name);
    }

    // Combinations from index on: a product, except that a parent's values are counted one by one
    // (each opens its own branch). Checked arithmetic: a grid beyond long counts as unbounded.
    private static long? Count(IReadOnlyList<HParam> space, IReadOnlyList<object>[] axes, HashSet<string> parents, int index, Dictionary<string, object> byName)
    {
        if (index == space.Count)
        {
            return 1;
        }

        HParam hparam = space[index];
        if (!ConditionalSpace.IsActiveIn(hparam, byName))
        {
            return Count(space, axes, parents, index + 1, byName);
        }

        try
        {
            if (!parents.Contains(hparam.Name))
            {
                return Count(space, axes, parents, index + 1, byName) is long rest ? checked(axes[index].Count * rest) : null;
            }

            long total = 0;
            foreach (object value in axes[index])
            {
                byName[hparam.Name] = HParamValues.Normalize(hparam.Name, value);
                if (Count(space, axes, parents, index + 1, byName) is not long branch)
                {
                    return null;
                }

                total = checked(total + branch);
            }

            byName.Remove(hparam.Name);
            return total;
        }
        catch (OverflowException)
        {
            return null;
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
