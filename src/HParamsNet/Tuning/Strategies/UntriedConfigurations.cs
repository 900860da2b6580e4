namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// Draws a configuration that no finished or running trial has: what the tuner uses when a
/// strategy proposes one that was already tried, so that no strategy repeats a configuration
/// while the space has others left.
/// </summary>
internal static class UntriedConfigurations
{
    private const int RandomDraws = 1000;

    // Spaces up to this size are enumerated when random draws keep hitting tried configurations.
    private const long MaxEnumerated = 1_000_000;

    /// <summary>An untried configuration, or <see langword="null"/> when none is left.</summary>
    public static IReadOnlyDictionary<HParam, object>? Draw(StrategyContext context)
    {
        for (int draw = 0; draw < RandomDraws; draw++)
        {
            var candidate = ConditionalSpace.Active(context.Space, context.Space.ToDictionary(h => h, h => h.Domain.SampleUniform(context.Random)));
            if (!context.IsTaken(candidate))
            {
                return candidate;
            }
        }

        // Nearly every configuration is taken, or the space is a single point: look at each one
        // when there are few enough, starting at a random place so workers do not all pick the first.
        long? size = Size(context.Space);
        if (size is not long count || count > MaxEnumerated)
        {
            return null;
        }

        long offset = context.Random.NextInt64(count);
        for (long i = 0; i < count; i++)
        {
            var candidate = ConditionalSpace.Active(context.Space, At(context.Space, (offset + i) % count));
            if (!context.IsTaken(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // The number of configurations of a finite space; null when an hparam is a real interval.
    private static long? Size(IReadOnlyList<HParam> space)
    {
        long size = 1;
        foreach (HParam hparam in space)
        {
            long? values = hparam.Domain switch
            {
                Discrete d => d.Values.Count,
                IntInterval i when i.MaxValue - i.MinValue is >= 0 and < MaxEnumerated => i.MaxValue - i.MinValue + 1,
                RealInterval r when r.MinValue == r.MaxValue => 1,
                _ => null,
            };
            if (values is not long n || n > MaxEnumerated / size)
            {
                return null;
            }

            size *= n;
        }

        return size;
    }

    // The configuration at a mixed-radix index over the space's hparams.
    private static Dictionary<HParam, object> At(IReadOnlyList<HParam> space, long index)
    {
        var configuration = new Dictionary<HParam, object>(space.Count);
        for (int h = space.Count - 1; h >= 0; h--)
        {
            HParam hparam = space[h];
            (long count, Func<long, object> value) = hparam.Domain switch
            {
                Discrete d => ((long)d.Values.Count, (Func<long, object>)(k => d.Values[(int)k])),
                IntInterval i => (i.MaxValue - i.MinValue + 1, k => i.MinValue + k),
                RealInterval r => (1L, _ => r.MinValue),
                _ => throw new NotSupportedException($"Cannot enumerate {hparam}."),
            };
            configuration[hparam] = value(index % count);
            index /= count;
        }

        return configuration;
    }
}
