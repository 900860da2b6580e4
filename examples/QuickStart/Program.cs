// The TensorBoard HParams tutorial ("Hyperparameter Tuning with the HParams Dashboard") in C#:
// num_units x dropout x optimizer, one run per combination, accuracy per run.
//
// Scoring is a stand-in until real training per trial lands (the TorchSharp issue): a fixed
// formula of the hparams plus seeded noise, so the dashboard has something to show.
using HParamsNet;
using HParamsNet.Examples;

string logDir = ExampleLogDirectory.Prepare(args, "hparam_tuning");

var numUnits = new HParam("num_units", new Discrete(16, 32));
var dropout = new HParam("dropout", new RealInterval(0.1, 0.2));
var optimizer = new HParam("optimizer", new Discrete("adam", "sgd"));
var accuracy = new Metric("accuracy", displayName: "Accuracy");

using (var root = SummaryWriter.Create(logDir))
{
    root.HParamsConfig([numUnits, dropout, optimizer], [accuracy]);
}

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
            Console.WriteLine($"--- Starting trial: {runName}");
            Console.WriteLine(string.Join(", ", hparams.Select(p => $"{p.Key.Name}: {p.Value}")));

            await using (var run = SummaryWriter.Create(Path.Combine(logDir, runName)))
            {
                run.HParams(hparams);
                double score = StandInAccuracy((long)units, rate, (string)opt, seed: sessionNumber);
                run.Scalar("accuracy", score, step: 1);
                run.SessionEnd(SessionStatus.Success);
                Console.WriteLine($"accuracy: {score:F4}");
            }

            sessionNumber++;
        }
    }
}

Console.WriteLine();
Console.WriteLine($"Wrote {sessionNumber} sessions to {logDir}");
Console.WriteLine($"Open them with: tensorboard --logdir {Path.GetRelativePath(Environment.CurrentDirectory, logDir)}");

// Wider layers help, dropout hurts a little, adam beats sgd; noise keeps it honest.
static double StandInAccuracy(long units, double dropoutRate, string optimizerName, int seed)
{
    var noise = new Random(seed);
    double score = 0.80 + (0.04 * Math.Log2(units / 16.0)) - (0.3 * (dropoutRate - 0.1)) + (optimizerName == "adam" ? 0.05 : 0.0);
    return Math.Clamp(score + ((noise.NextDouble() - 0.5) * 0.02), 0, 1);
}
