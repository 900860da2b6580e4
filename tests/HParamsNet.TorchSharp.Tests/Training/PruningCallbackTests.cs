using HParamsNet.Tests.Common;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.TorchSharp.Tests.Training;

public class PruningCallbackTests
{
    [Test]
    public async Task A_fit_reports_each_epoch_and_stops_when_the_pruner_says_so()
    {
        using var dir = new TempDirectory();
        (TabularDataset train, TabularDataset validation) = Datasets.LoadBreastCancer().StratifiedSplit(0.25, 0);
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [new HParam("units", new Discrete(4))],
            Objective = new Objective(new Metric("accuracy"), StudyDirection.Maximize),
            Strategy = new GridSearch(),
            Pruner = new PruneFromStep(3),
        };
        int epochs = 0;

        StudyResult result = await new Tuner(options).RunAsync(trial =>
        {
            using TorchModel model = TorchModel.Build(ModelSpec.Sequential().Dense(4).Output(ModelTask.Binary), 30);
            var counter = new EpochCallback(() => epochs++);
            return model.Fit(train, new FitOptions { Epochs = 10, Threads = 1, Callbacks = [counter, new PruningCallback(trial)] }, validation).Last.ValidationMetric!.Value;
        });

        Assert.That(result.Trials.Single().State, Is.EqualTo(TrialState.Pruned));
        Assert.That(result.Trials.Single().IntermediateValues.Select(p => p.Key), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(epochs, Is.EqualTo(3));
    }

    private sealed class PruneFromStep(long step) : Pruner
    {
        public override bool ShouldPrune(PrunerContext context) => context.IntermediateValues[^1].Key >= step;
    }

    private sealed class EpochCallback(Action onEpoch) : IFitCallback
    {
        public void OnTrainBegin()
        {
        }

        public void OnEpochEnd(EpochResult result) => onEpoch();

        public void OnTrainEnd(SessionStatus status)
        {
        }
    }
}
