using HParamsNet;

namespace HParamsNet.Tests.Domains;

public class DomainTests
{
    [Test]
    public void Discrete_sorts_values_as_tensorboard_writes_them()
    {
        Assert.That(new Discrete(32, 16).Values, Is.EqualTo(new object[] { 16L, 32L }));
        Assert.That(new Discrete("sgd", "adam", "Zeta").Values, Is.EqualTo(new object[] { "Zeta", "adam", "sgd" }));
        Assert.That(new Discrete(true, false).Values, Is.EqualTo(new object[] { false, true }));
    }

    [Test]
    public void Discrete_types_whole_numbers_as_long_and_mixed_numbers_as_double()
    {
        Assert.That(new Discrete(16, 32).ValueType, Is.EqualTo(typeof(long)));
        Assert.That(new Discrete(1, 2.5).Values, Is.EqualTo(new object[] { 1.0, 2.5 }));
        Assert.That(new Discrete(1, 2.5).ValueType, Is.EqualTo(typeof(double)));
        Assert.That(new Discrete("a").ValueType, Is.EqualTo(typeof(string)));
    }

    [Test]
    public void Discrete_rejects_mixed_kinds_naming_them()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new Discrete(16, "adam", true))!;

        Assert.That(error.Message, Does.Contain("16 (number)").And.Contain("\"adam\" (string)").And.Contain("true (bool)"));
    }

    [TestCase(new object[0], "at least one value")]
    [TestCase(new object[] { 1, 1.0 }, "more than once")]
    [TestCase(new object[] { double.NaN }, "NaN")]
    public void Discrete_rejects_bad_values(object[] values, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new Discrete(values))!;

        Assert.That(error.Message, Does.Contain(message));
    }

    [Test]
    public void Discrete_compares_by_value()
    {
        Assert.That(new Discrete(16, 32), Is.EqualTo(new Discrete(32, 16)));
        Assert.That(new Discrete(16, 32).GetHashCode(), Is.EqualTo(new Discrete(32, 16).GetHashCode()));
        Assert.That(new Discrete(16, 32), Is.Not.EqualTo(new Discrete(16, 33)));
    }

    [Test]
    public void Discrete_membership_treats_16_and_16_point_0_as_one_number()
    {
        var units = new Discrete(16, 32);

        Assert.That(units.Contains(16), Is.True);
        Assert.That(units.Contains(16.0), Is.True);
        Assert.That(units.Contains(16f), Is.True);
        Assert.That(units.Contains(17), Is.False);
        Assert.That(units.Contains("16"), Is.False);
    }

    [TestCase(0.1, 0.2, 0.1, true)]
    [TestCase(0.1, 0.2, 0.2, true)]
    [TestCase(0.1, 0.2, 0.15, true)]
    [TestCase(0.1, 0.2, 0.25, false)]
    [TestCase(0.1, 0.2, double.NaN, false)]
    public void RealInterval_is_closed(double min, double max, double value, bool contained) =>
        Assert.That(new RealInterval(min, max).Contains(value), Is.EqualTo(contained));

    [Test]
    public void RealInterval_rejects_bad_bounds_naming_them()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new RealInterval(0.2, 0.1))!.Message,
            Does.Contain("RealInterval(0.2, 0.1)").And.Contain("greater than the maximum"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new RealInterval(double.NaN, 1))!.Message,
            Does.Contain("finite"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new RealInterval(0, double.PositiveInfinity))!.Message,
            Does.Contain("finite"));
    }

    [Test]
    public void IntInterval_holds_whole_numbers_only()
    {
        var layers = new IntInterval(1, 4);

        Assert.That(layers.Contains(1), Is.True);
        Assert.That(layers.Contains(4L), Is.True);
        Assert.That(layers.Contains(3.0), Is.True);
        Assert.That(layers.Contains(2.5), Is.False);
        Assert.That(layers.Contains(5), Is.False);
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new IntInterval(4, 1))!.Message, Does.Contain("IntInterval(4, 1)"));
    }

    [Test]
    public void Samples_stay_inside_their_domains()
    {
        var random = new Random(11);
        Domain[] domains = [new Discrete(16, 32), new RealInterval(0.1, 0.2), new IntInterval(-3, 3), new IntInterval(long.MinValue, long.MaxValue), new Discrete("a", "b")];
        foreach (Domain domain in domains)
        {
            for (int i = 0; i < 1000; i++)
            {
                object sample = domain.SampleUniform(random);
                Assert.That(domain.Contains(sample), Is.True, $"{domain} sampled {sample}");
                Assert.That(sample.GetType(), Is.EqualTo(domain.ValueType));
            }
        }
    }

    [Test]
    public void IntInterval_samples_reach_both_ends()
    {
        var random = new Random(5);
        var samples = Enumerable.Range(0, 2000).Select(_ => (long)new IntInterval(1, 4).SampleUniform(random)).ToHashSet();

        Assert.That(samples, Is.EquivalentTo(new long[] { 1, 2, 3, 4 }));
    }
}
