using HParamsNet.Events;
using HParamsNet.Protos.HParams;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;

namespace HParamsNet.TorchSharp.Tests.Training;

/// <summary>The event files a fit leaves: Keras' sub-run layout and hp.KerasCallback's record.</summary>
public class CallbackTests
{
    private static readonly HParam Units = new("units", new Discrete(8, 16));

    private static (TabularDataset Train, TabularDataset Validation) Data()
    {
        (TabularDataset train, TabularDataset validation) = Datasets.LoadBreastCancer().StratifiedSplit(0.25, 0);
        var scaler = Standardizer.Fit(train);
        return (scaler.Transform(train), scaler.Transform(validation));
    }

    [Test]
    public void Curves_go_to_train_and_validation_and_hparams_to_the_run()
    {
        using var dir = new TempDirectory();
        string run = dir.Combine("trial-0001");
        (TabularDataset train, TabularDataset validation) = Data();
        using TorchModel model = TorchModel.Build(ModelSpec.Sequential().Dense(8).Output(ModelTask.Binary), 30);

        model.Fit(train, new FitOptions
        {
            Epochs = 3,
            Threads = 1,
            Callbacks = [new TensorBoardCallback(run), new HParamsCallback(run, new Dictionary<HParam, object> { [Units] = 8 }, trialId: "t1")],
        }, validation);

        Assert.That(LogDirectory.FindRuns(dir.Path).Select(r => r.Name), Is.EqualTo(new[] { "trial-0001", "trial-0001/train", "trial-0001/validation" }));
        foreach (string group in new[] { "train", "validation" })
        {
            var scalars = EventFileReader.ReadRunScalars(Path.Combine(run, group)).ToList();
            Assert.That(scalars.Select(s => (s.Tag, s.Step)), Is.EquivalentTo(new[]
            {
                ("epoch_loss", 0L), ("epoch_accuracy", 0L), ("epoch_loss", 1L), ("epoch_accuracy", 1L), ("epoch_loss", 2L), ("epoch_accuracy", 2L),
            }), group);
        }

        var plugin = EventFileReader.ReadRunEvents(run).Where(e => e.Summary is not null)
            .Select(e => HParamsSummaries.TryParse(e.Summary.Value[0])!).ToList();
        Assert.That(plugin, Has.Count.EqualTo(2));
        Assert.That(plugin[0].SessionStartInfo.GroupName, Is.EqualTo("t1"));
        Assert.That(plugin[0].SessionStartInfo.Hparams["units"].NumberValue, Is.EqualTo(8));
        Assert.That(plugin[1].SessionEndInfo.Status, Is.EqualTo(Status.Success));
    }

    [Test]
    public void A_cancelled_fit_is_recorded_as_a_failure()
    {
        using var dir = new TempDirectory();
        (TabularDataset train, _) = Data();
        using TorchModel model = TorchModel.Build(ModelSpec.Sequential().Dense(8).Output(ModelTask.Binary), 30);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.Throws<OperationCanceledException>(() => model.Fit(train, new FitOptions
        {
            Threads = 1,
            Callbacks = [new TensorBoardCallback(dir.Path), new HParamsCallback(dir.Path, new Dictionary<HParam, object> { [Units] = 16 })],
        }, cancellationToken: cancel.Token));

        var end = EventFileReader.ReadRunEvents(dir.Path).Where(e => e.Summary is not null).Select(e => HParamsSummaries.TryParse(e.Summary.Value[0])!).Last();
        Assert.That(end.SessionEndInfo.Status, Is.EqualTo(Status.Failure));
    }

    [Test]
    public void An_hparam_outside_its_domain_fails_before_training()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new HParamsCallback("unused", new Dictionary<HParam, object> { [Units] = 32 }))!;

        Assert.That(error.Message, Does.Contain("'units'").And.Contain("32"));
    }
}
