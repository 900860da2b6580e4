using HParamsNet;

namespace HParamsNet.Tests.Domains;

public class HParamTests
{
    private static readonly HParam Dropout = new("dropout", new RealInterval(0.1, 0.2));
    private static readonly HParam Units = new("num_units", new Discrete(16, 32));

    [Test]
    public void A_value_outside_the_domain_names_the_hparam_the_value_and_the_domain()
    {
        var error = Assert.Throws<ArgumentException>(() => Dropout.Validate(0.5))!;

        Assert.That(error.Message, Does.Contain("'dropout'").And.Contain("0.5").And.Contain("RealInterval(0.1, 0.2)"));
    }

    [Test]
    public void NaN_names_the_hparam_and_says_what_to_do()
    {
        var error = Assert.Throws<ArgumentException>(() => Dropout.Validate(double.NaN))!;

        Assert.That(error.Message, Does.Contain("'dropout'").And.Contain("NaN").And.Contain("finite"));
    }

    [Test]
    public void Unsupported_types_and_null_are_refused()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => Units.Validate(DateTime.UnixEpoch))!.Message, Does.Contain("'num_units'").And.Contain("DateTime"));
        Assert.That(Assert.Throws<ArgumentException>(() => Units.Validate(null))!.Message, Does.Contain("'num_units'").And.Contain("null"));
    }

    [Test]
    public void Validate_normalises_numbers()
    {
        Assert.That(Units.Validate(16), Is.EqualTo(16L));
        Assert.That(Units.Validate(16.0), Is.EqualTo(16.0));
        Assert.That(Dropout.Validate(0.1f), Is.EqualTo((double)0.1f).And.TypeOf<double>());
    }

    [Test]
    public void HParams_compare_by_value_and_key_dictionaries()
    {
        var values = new Dictionary<HParam, object> { [new HParam("num_units", new Discrete(16, 32))] = 16 };

        Assert.That(values.ContainsKey(Units), Is.True);
        Assert.That(new HParam("num_units", new Discrete(16, 32), displayName: "Units"), Is.Not.EqualTo(Units));
    }

    [Test]
    public void An_empty_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _ = new HParam(" ", new Discrete(1)));
    }

    [Test]
    public void Experiment_rejects_duplicate_names_and_metrics()
    {
        var dup = new HParam("dropout", new Discrete(0.1));

        Assert.That(Assert.Throws<ArgumentException>(() => _ = new HParamsExperiment([Dropout, dup], []))!.Message,
            Does.Contain("'dropout' is declared twice"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new HParamsExperiment([], [new Metric("acc"), new Metric("acc", displayName: "A")]))!.Message,
            Does.Contain("'acc' is declared twice"));
        Assert.DoesNotThrow(() => _ = new HParamsExperiment([], [new Metric("acc", group: "train"), new Metric("acc", group: "validation")]));
    }

    [Test]
    public void Experiment_resolves_names_and_rejects_unknown_ones()
    {
        var experiment = new HParamsExperiment([Dropout, Units], [new Metric("accuracy")]);

        var resolved = experiment.Resolve(new Dictionary<string, object> { ["dropout"] = 0.15, ["num_units"] = 32 });
        var error = Assert.Throws<ArgumentException>(() => experiment.Resolve(new Dictionary<string, object> { ["drop_out"] = 0.15 }))!;

        Assert.That(resolved[Dropout], Is.EqualTo(0.15));
        Assert.That(resolved[Units], Is.EqualTo(32L));
        Assert.That(error.Message, Does.Contain("'drop_out' is not declared").And.Contain("'dropout', 'num_units'"));
        Assert.That(experiment["num_units"], Is.SameAs(Units));
    }

    [Test]
    public void Metric_group_must_be_relative()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Metric("loss", group: "/train"))!.Message, Does.Contain("relative"));
        Assert.That(new Metric("loss", group: "validation").ToString(), Is.EqualTo("Metric 'validation/loss'"));
    }
}
