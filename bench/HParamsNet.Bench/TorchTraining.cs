using System.Diagnostics;
using System.Globalization;
using HParamsNet.Summaries;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using TorchSharp;

namespace HParamsNet.Bench;

/// <summary>
/// Training with TorchSharp (issue 4): time per epoch of the QuickStart digits MLP, the cost of our
/// TensorBoard logging on that training, native memory over 100 trials, and our writer against
/// TorchSharp's own <c>torch.utils.tensorboard.SummaryWriter</c>.
/// </summary>
internal static class TorchTraining
{
    public static void Run(string[] args)
    {
        int trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        string dir = Path.Combine(Path.GetTempPath(), "hparamsnet-bench-torch", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Console.WriteLine($"# TorchSharp training — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Console.WriteLine($"Machine: {MachineInfo.Describe()}; torch threads: {torch.get_num_threads()}");
            (TabularDataset train, TabularDataset test) = Datasets.LoadDigits().StratifiedSplit(0.2, 0);
            var scaler = Standardizer.Fit(train);
            train = scaler.Transform(train);
            test = scaler.Transform(test);
            ModelSpec spec = ModelSpec.Sequential().Dense(32, "relu").Dropout(0.1).Output(ModelTask.MultiClass(10)).Compile("adam");

            EpochTimeAndOverhead(spec, train, test, dir);
            MemoryOverTrials(spec, train, test, dir, trials);
            WritersCompared(dir, 200_000);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void EpochTimeAndOverhead(ModelSpec spec, TabularDataset train, TabularDataset test, string dir)
    {
        const int Epochs = 20;
        const int Rounds = 15;
        var plain = new List<double>();
        var logged = new List<double>();
        double accuracy = 0;
        for (int round = 0; round <= Rounds; round++)
        {
            // Alternate, so that drift in machine load hits both alike; round 0 warms up.
            double withoutLogging = TimeFit(spec, train, []);
            string run = Path.Combine(dir, $"overhead-{round}");
            var hparams = new Dictionary<HParam, object> { [new HParam("units", new Discrete(32))] = 32 };
            double withLogging = TimeFit(spec, train, [new TensorBoardCallback(run), new HParamsCallback(run, hparams)], validation: null);
            if (round > 0)
            {
                plain.Add(withoutLogging);
                logged.Add(withLogging);
            }
        }

        using (TorchModel model = TorchModel.Build(spec, train.Columns, 0))
        {
            model.Fit(train, new FitOptions { Epochs = Epochs });
            accuracy = model.Evaluate(test).Metric;
        }

        double plainMedian = Median(plain);
        double loggedMedian = Median(logged);
        Console.WriteLine();
        Console.WriteLine($"Digits MLP {spec}, {train.Count} training rows, batch 32, {Epochs} epochs (test accuracy {accuracy:F4}); median of {Rounds}:");
        Console.WriteLine("| what | time per fit | time per epoch |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| fit without logging | {plainMedian * 1000:F1} ms | {plainMedian * 1000 / Epochs:F2} ms |");
        Console.WriteLine($"| fit with TensorBoardCallback + HParamsCallback | {loggedMedian * 1000:F1} ms | {loggedMedian * 1000 / Epochs:F2} ms |");
        Console.WriteLine($"Tracking overhead, A/B (medians): {(loggedMedian - plainMedian) / plainMedian * 100:F2}%; per-round differences range {plain.Zip(logged).Min(p => (p.Second - p.First) / p.First * 100):F1}% to {plain.Zip(logged).Max(p => (p.Second - p.First) / p.First * 100):F1}%, so machine noise dominates.");

        // The same logging without the training: what the callbacks themselves cost per fit.
        const int Repeats = 200;
        var units = new HParam("units", new Discrete(32));
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Repeats; i++)
        {
            string run = Path.Combine(dir, "direct", $"run-{i:D4}");
            IFitCallback[] callbacks = [new TensorBoardCallback(run), new HParamsCallback(run, new Dictionary<HParam, object> { [units] = 32 })];
            foreach (IFitCallback callback in callbacks)
            {
                callback.OnTrainBegin();
            }

            for (int epoch = 0; epoch < Epochs; epoch++)
            {
                var result = new EpochResult(epoch, 0.5, 0.9, 0.6, 0.85, TimeSpan.Zero);
                foreach (IFitCallback callback in callbacks)
                {
                    callback.OnEpochEnd(result);
                }
            }

            foreach (IFitCallback callback in callbacks)
            {
                callback.OnTrainEnd(SessionStatus.Success);
            }
        }

        double perFit = clock.Elapsed.TotalSeconds / Repeats;
        Console.WriteLine($"Tracking cost measured directly (the callbacks' calls for one {Epochs}-epoch fit with validation: 3 files, hparams, 80 scalars, status): {perFit * 1000:F3} ms = {perFit / plainMedian * 100:F2}% of the fit");

        double TimeFit(ModelSpec s, TabularDataset data, IReadOnlyList<IFitCallback> callbacks, TabularDataset? validation = null)
        {
            using TorchModel model = TorchModel.Build(s, data.Columns, 0);
            var clock = Stopwatch.StartNew();
            model.Fit(data, new FitOptions { Epochs = Epochs, Callbacks = callbacks, Threads = 1 }, validation);
            return clock.Elapsed.TotalSeconds;
        }
    }

    private static void MemoryOverTrials(ModelSpec spec, TabularDataset train, TabularDataset test, string dir, int trials)
    {
        long rssAfterFirst = 0;
        var checkpoints = new List<string>();
        for (int trial = 1; trial <= trials; trial++)
        {
            string run = Path.Combine(dir, "trials", $"trial-{trial:D4}");
            using (TorchModel model = TorchModel.Build(spec, train.Columns, trial))
            {
                model.Fit(train, new FitOptions { Epochs = 2, Seed = trial, Callbacks = [new TensorBoardCallback(run)] });
                model.Evaluate(test);
            }

            if (trial == 1 || trial % 25 == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                long rss = Environment.WorkingSet;
                rssAfterFirst = trial == 1 ? rss : rssAfterFirst;
                checkpoints.Add($"{trial}: {rss / (1024.0 * 1024):F1} MiB");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Resident memory over {trials} trials (build, fit 2 epochs, evaluate, dispose): {string.Join("; ", checkpoints)}");
        Console.WriteLine($"Growth after trial 1: {(Environment.WorkingSet - rssAfterFirst) / (1024.0 * 1024):F1} MiB");
    }

    private static void WritersCompared(string dir, int events)
    {
        var ours = Stopwatch.StartNew();
        using (var writer = SummaryWriter.Create(Path.Combine(dir, "ours")))
        {
            for (int step = 0; step < events; step++)
            {
                writer.Scalar("loss", 1.0 / (step + 1), step);
            }
        }

        ours.Stop();
        var theirs = Stopwatch.StartNew();
        var torchWriter = torch.utils.tensorboard.SummaryWriter(Path.Combine(dir, "torchsharp"));
        for (int step = 0; step < events; step++)
        {
            torchWriter.add_scalar("loss", 1f / (step + 1), step);
        }

        theirs.Stop();
        double oursRate = events / ours.Elapsed.TotalSeconds;
        double theirsRate = events / theirs.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"{events:N0} scalars, one writer each, same run:");
        Console.WriteLine("| writer | events/s |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| HParamsNet SummaryWriter.Scalar | {oursRate:N0} |");
        Console.WriteLine($"| TorchSharp torch.utils.tensorboard.SummaryWriter.add_scalar | {theirsRate:N0} |");
        Console.WriteLine($"Ratio: {oursRate / theirsRate:F1}x");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
