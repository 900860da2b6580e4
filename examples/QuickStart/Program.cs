// The TensorBoard HParams tutorial ("Hyperparameter Tuning with the HParams Dashboard") in C#,
// training for real: an MLP on the digits data set (8x8 images, 10 classes) with TorchSharp,
// num_units x dropout x optimizer, one run per combination, test accuracy per run.
using System.Diagnostics;
using HParamsNet;
using HParamsNet.Examples;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;

string logDir = ExampleLogDirectory.Prepare(args, "hparam_tuning");

var numUnits = new HParam("num_units", new Discrete(16, 32));
var dropout = new HParam("dropout", new RealInterval(0.1, 0.2));
var optimizer = new HParam("optimizer", new Discrete("adam", "sgd"));
var accuracy = new Metric("accuracy", displayName: "Accuracy");

using (var root = SummaryWriter.Create(logDir))
{
    root.HParamsConfig([numUnits, dropout, optimizer], [accuracy]);
}

// 80/20 stratified split; features standardised with the training set's statistics.
(TabularDataset train, TabularDataset test) = Datasets.LoadDigits().StratifiedSplit(testFraction: 0.2, seed: 0);
var scaler = Standardizer.Fit(train);
train = scaler.Transform(train);
test = scaler.Transform(test);

var fitOptions = new FitOptions { Epochs = 20, BatchSize = 32, Seed = 0 };
var clock = Stopwatch.StartNew();
var results = new List<(string Run, double Accuracy, string HParams)>();
var dropoutDomain = (RealInterval)dropout.Domain;
int sessionNumber = 0;
foreach (object units in ((Discrete)numUnits.Domain).Values)
{
    foreach (double rate in new[] { dropoutDomain.MinValue, dropoutDomain.MaxValue })
    {
        foreach (object opt in ((Discrete)optimizer.Domain).Values)
        {
            var hparams = new Dictionary<HParam, object> { [numUnits] = units, [dropout] = rate, [optimizer] = opt };
            string runName = $"run-{sessionNumber}";
            string shown = string.Join(", ", hparams.Select(p => $"{p.Key.Name}: {p.Value}"));
            Console.WriteLine($"--- Starting trial: {runName}");
            Console.WriteLine(shown);

            await using (var run = SummaryWriter.Create(Path.Combine(logDir, runName)))
            {
                run.HParams(hparams);
                double score = TrainTestModel((long)units, rate, (string)opt);
                run.Scalar(accuracy.Tag, score, step: 1);
                run.SessionEnd(SessionStatus.Success);
                Console.WriteLine($"accuracy: {score:F4}");
                results.Add((runName, score, shown));
            }

            sessionNumber++;
        }
    }
}

var best = results.MaxBy(r => r.Accuracy);
Console.WriteLine();
Console.WriteLine($"Trained {sessionNumber} models in {clock.Elapsed.TotalSeconds:F1} s; best: {best.Run} ({best.HParams}) with test accuracy {best.Accuracy:F4}");
Console.WriteLine($"Wrote {logDir}");
Console.WriteLine($"Open it with: tensorboard --logdir {Path.GetRelativePath(Environment.CurrentDirectory, logDir)}");

double TrainTestModel(long units, double dropoutRate, string optimizerName)
{
    ModelSpec spec = ModelSpec.Sequential()
        .Dense((int)units, Activation.Relu)
        .Dropout(dropoutRate)
        .Output(ModelTask.MultiClass(10))
        .Compile(optimizerName);
    using TorchModel model = TorchModel.Build(spec, train.Columns, fitOptions.Seed);
    model.Fit(train, fitOptions);
    return model.Evaluate(test).Metric;
}
