using HParamsNet.Events;
using HParamsNet.Tuning;

namespace HParamsNet.Tests.Architecture;

/// <summary>The layering of docs/architecture.md, checked on the built core assembly.</summary>
public class ArchitectureTests
{
    private static string CoreAssembly => typeof(HParam).Assembly.Location;

    [Test]
    public void No_layer_uses_one_above_it_or_beside_it()
    {
        var violations = LayerDependencies.Violations(LayerDependencies.Uses(CoreAssembly))
            .Select(v => $"{v.From} -> {v.To}: {v.User} uses {v.Used}")
            .Distinct()
            .ToList();

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Every_namespace_of_the_core_is_a_known_layer_and_the_layers_are_used()
    {
        var namespaces = typeof(HParam).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && !ns.StartsWith("HParamsNet.Protos", StringComparison.Ordinal) && !ns.StartsWith("Microsoft", StringComparison.Ordinal) && !ns.StartsWith("System", StringComparison.Ordinal))
            .Select(t => t.Namespace!)
            .Distinct()
            .Order(StringComparer.Ordinal);
        var edges = LayerDependencies.Uses(CoreAssembly).Select(u => (u.From, u.To)).Distinct().ToList();

        Assert.That(namespaces, Is.EquivalentTo(LayerDependencies.Allowed.Keys), "a new namespace needs its place in docs/architecture.md and in the rules");
        Assert.That(edges, Does.Contain(("HParamsNet.Summaries", "HParamsNet.Events")).And.Contain(("HParamsNet.Tuning", "HParamsNet.Tuning.Strategies")), "the reader sees uses at all");
    }

    [Test]
    public void The_checker_reports_a_use_against_the_layering()
    {
        // What adding `using HParamsNet.Tuning;` and a call to the tuner in an event file would give.
        (string, string, string, string)[] uses =
        [
            ("HParamsNet.Events", "HParamsNet.Tuning", typeof(EventFileWriter).FullName!, typeof(Tuner).FullName!),
            ("HParamsNet.Tuning", "HParamsNet.Events", typeof(Tuner).FullName!, typeof(EventFileWriter).FullName!),
            ("HParamsNet.Tuning.Strategies", "HParamsNet.Tuning.Pruners", "S", "P"),
        ];

        var violations = LayerDependencies.Violations(uses).Select(v => (v.From, v.To)).ToList();

        Assert.That(violations, Is.EqualTo(new[] { ("HParamsNet.Events", "HParamsNet.Tuning"), ("HParamsNet.Tuning.Strategies", "HParamsNet.Tuning.Pruners") }));
    }
}
