// Tuning the digits MLP with the tuner's automatic default (a Gaussian process for a budget this
// size) and a median pruner (bad trials stop after a few epochs), then with random search at the
// same budget and no pruning. Two studies, each a TensorBoard log directory; the summary compares
// the best validation accuracy each found and the epochs each spent.
using HParamsNet;
using HParamsNet.Examples;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Strategies;

const int Budget = 24;
const int Epochs = 12;
string root = ExampleLogDirectory.Prepare(args, "digits_tuning");

var learningRate = new HParam("learning_rate", new RealInterval(1e-4, 1e-1) { Log = true });
var units = new HParam("num_units", new Discrete(8, 16, 32, 64, 128));
var dropout = new HParam("dropout", new RealInterval(0.0, 0.5));
var optimizer = new HParam("optimizer", new Discrete("adam", "sgd", "rmsprop"));
var accuracy = new Metric("accuracy", group: "", displayName: "Validation accuracy", datasetType: DatasetType.Validation);

(TabularDataset train, TabularDataset validation) = Datasets.LoadDigits().StratifiedSplit(testFraction: 0.25, seed: 0);
var scaler = Standardizer.Fit(train);
train = scaler.Transform(train);
validation = scaler.Transform(validation);

async Task<(StudyResult Result, int EpochsRun)> Study(string name, SearchStrategy strategy, Pruner pruner)
{
    int epochsRun = 0;
    var options = new TunerOptions
    {
        LogDir = Path.Combine(root, name),
        Space = [learningRate, units, dropout, optimizer],
        Objective = new Objective(accuracy, StudyDirection.Maximize),
        Strategy = strategy,
        Pruner = pruner,
        MaxTrials = Budget,
        Seed = 0,
    };
    StudyResult result = await TunerConsole.RunAsync(options, (trial, cancel) =>
    {
        ModelSpec spec = ModelSpec.Sequential()
            .Dense(trial.Get<int>(units), Activation.Relu)
            .Dropout(trial.Get<double>(dropout))
            .Output(ModelTask.MultiClass(10))
            .Compile(trial.Get<string>(optimizer), trial.Get<double>(learningRate));
        using TorchModel model = TorchModel.Build(spec, train.Columns, seed: trial.Number);
        var counter = new EpochCounter();
        try
        {
            TrainingHistory history = model.Fit(train, new FitOptions { Epochs = Epochs, Seed = trial.Number, Callbacks = [counter, new PruningCallback(trial)] }, validation, cancel);
            return ValueTask.FromResult<TrialValues>(history.Last.ValidationMetric!.Value);
        }
        finally
        {
            Interlocked.Add(ref epochsRun, counter.Epochs);
        }
    });
    return (result, epochsRun);
}

var tuned = await Study("auto_median_pruner", new AutoSearch(), new MedianPruner(startupTrials: 4, warmupSteps: 2));
var random = await Study("random", new RandomSearch(), new NoPruner());

Console.WriteLine();
Console.WriteLine($"Same budget: {Budget} trials of up to {Epochs} epochs each.");
foreach ((string name, (StudyResult result, int epochs)) in new[] { ("default + pruner", tuned), ("random search", random) })
{
    int pruned = result.Trials.Count(t => t.State == TrialState.Pruned);
    Console.WriteLine($"{name,-20} best validation accuracy {result.BestScore:F4} (trial {result.BestTrial!.Number}); {epochs} epochs trained, {pruned} trials pruned");
    Console.WriteLine($"{string.Empty,-20} best params {TunerConsole.Params(result.BestParams, [learningRate, units, dropout, optimizer])}");
}

Console.WriteLine($"Open both with: tensorboard --logdir {Path.GetRelativePath(Environment.CurrentDirectory, root)}");
TunerConsole.PrintReportCommand(new Objective(accuracy, StudyDirection.Maximize), Path.Combine(root, "auto_median_pruner"), Path.Combine(root, "random"));

/// <summary>Counts the epochs a fit completed, pruned or not.</summary>
internal sealed class EpochCounter : IFitCallback
{
    public int Epochs { get; private set; }

    public void OnTrainBegin()
    {
    }

    public void OnEpochEnd(EpochResult result) => Epochs++;

    public void OnTrainEnd(SessionStatus status)
    {
    }
}
