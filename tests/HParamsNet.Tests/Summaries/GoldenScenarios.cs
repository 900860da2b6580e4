using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;
using HParamsNet.Tests.Support;
using static HParamsNet.Tests.Support.Golden;

namespace HParamsNet.Tests.Summaries;

/// <summary>
/// The scenarios of the golden generator (shared/tensorboard/oracle/make_goldens.py), written with
/// our API: same runs, steps, values and times.
/// </summary>
public static class GoldenScenarios
{
    public const string TensorBoardWriterName = "tensorboard.summary.writer.event_file_writer";

    public static void Write(string caseName, string logDir)
    {
        var clock = new ManualClock(At(T0));
        var scenario = new Scenario(logDir, clock);
        switch (caseName)
        {
            case "hparams_basic": HParamsBasic(scenario); break;
            case "cv_groups": CvGroups(scenario); break;
            case "statuses_and_metrics": StatusesAndMetrics(scenario); break;
            case "no_experiment": NoExperiment(scenario); break;
            case "v1_scalars": V1Scalars(scenario); break;
            case "multi_file": MultiFile(scenario); break;
            case "many_sessions": ManySessions(scenario); break;
            default: throw new ArgumentOutOfRangeException(nameof(caseName), caseName, null);
        }
    }

    private static void HParamsBasic(Scenario s)
    {
        var units = new HParam("num_units", new Discrete(16, 32));
        var dropout = new HParam("dropout", new RealInterval(0.1, 0.2));
        var optimizer = new HParam("optimizer", new Discrete("adam", "sgd"));
        s.Run(".", T0, (w, at) =>
        {
            at(T0);
            w.HParamsConfig([units, dropout, optimizer], [new Metric("accuracy", displayName: "Accuracy")], Golden.At(T0));
        });

        int n = 0;
        foreach (object numUnits in ((Discrete)units.Domain).Values)
        {
            foreach (double rate in new[] { 0.1, 0.2 })
            {
                foreach (object opt in ((Discrete)optimizer.Domain).Values)
                {
                    double acc = Math.Round(0.70 + (0.01 * n) + ((string)opt == "adam" ? 0.05 : 0.0), 4);
                    int trial = n;
                    s.Run($"run-{n}", T0 + (10 * n), (w, at) =>
                    {
                        at(T0);
                        w.HParams(new Dictionary<HParam, object> { [units] = numUnits, [dropout] = rate, [optimizer] = opt }, startTime: Golden.At(T0 + (10 * trial)));
                        w.Scalar("accuracy", acc, 1, Golden.At(T0 + 1));
                        at(T0 + 1);
                        w.WriteSummary(HParamsSummaries.SessionEnd(SessionStatus.Success, Golden.At(T0 + (10 * trial) + 5)), 1);
                    });
                    n++;
                }
            }
        }
    }

    private static void CvGroups(Scenario s)
    {
        var lr = new HParam("lr", new Discrete(0.01, 0.1));
        var depth = new HParam("depth", new Discrete(2, 4));
        s.Run(".", T0, (w, at) => w.HParamsConfig([lr, depth], [new Metric("accuracy")], Golden.At(T0)));
        double[][] accs = [[0.61, 0.65, 0.62], [0.70, 0.74, 0.77], [0.80, 0.82, 0.90], [0.55, 0.50, 0.51]];
        int c = 0;
        foreach (object lrValue in ((Discrete)lr.Domain).Values)
        {
            foreach (object depthValue in ((Discrete)depth.Domain).Values)
            {
                for (int fold = 0; fold < 3; fold++)
                {
                    int config = c;
                    long start = T0 + (100 * c) + fold;
                    double acc = accs[c][fold];
                    s.Run($"cfg{c}/fold{fold}", start, (w, at) =>
                    {
                        at(T0);
                        w.HParams(new Dictionary<HParam, object> { [lr] = lrValue, [depth] = depthValue }, trialId: $"cfg{config}", startTime: Golden.At(start));
                        w.Scalar("accuracy", acc - 0.1, 1, Golden.At(T0 + 1));
                        w.Scalar("accuracy", acc, 2, Golden.At(T0 + 2));
                        at(T0 + 2);
                        w.WriteSummary(HParamsSummaries.SessionEnd(SessionStatus.Success, Golden.At(start + 50)), 2);
                    });
                }

                c++;
            }
        }
    }

    private static void StatusesAndMetrics(Scenario s)
    {
        HParam[] hps =
        [
            new("use_bn", new Discrete(false, true)),
            new("layers", new IntInterval(1, 4)),
            new("lr", new RealInterval(1e-4, 1e-1)),
            new("activation", new Discrete("relu", "tanh")),
        ];
        var metrics = new[] { "train", "validation" }
            .SelectMany(g => new[] { "epoch_loss", "epoch_accuracy" }.Select(tag => new Metric(tag, group: g, displayName: $"{tag} ({g})")))
            .ToList();
        s.Run(".", T0, (w, at) => w.HParamsConfig(hps, metrics, Golden.At(T0)));

        (string Name, object[] Values, SessionStatus? Status)[] sessions =
        [
            ("success", [true, 2, 0.001, "relu"], SessionStatus.Success),
            ("failure", [false, 3, 0.01, "tanh"], SessionStatus.Failure),
            ("running", [true, 4, 0.1, "relu"], SessionStatus.Running),
            ("no_end_info", [false, 1, 0.0001, "tanh"], null),
            ("unknown", [true, 1, 0.05, "tanh"], SessionStatus.Unknown),
        ];
        for (int i = 0; i < sessions.Length; i++)
        {
            (string name, object[] values, SessionStatus? status) = sessions[i];
            int index = i;
            s.Run(name, T0 + i, (w, at) =>
            {
                var hparams = hps.Zip(values).ToDictionary(p => p.First, p => p.Second);
                w.HParams(hparams, trialId: string.Empty, startTime: Golden.At(T0 + index));
                if (status is { } ended)
                {
                    at(T0 + 5);
                    w.WriteSummary(HParamsSummaries.SessionEnd(ended, Golden.At(T0 + index + 50)), 5);
                }
            });

            int steps = name == "failure" ? 3 : 5;
            foreach ((string group, double offset) in new[] { ("train", 0.0), ("validation", 0.05) })
            {
                s.Run($"{name}/{group}", T0 + i, (w, at) =>
                {
                    for (int step = 0; step < steps; step++)
                    {
                        w.Scalar("epoch_loss", (1.0 / (step + 1)) + offset + (0.01 * index), step, Golden.At(T0 + step));
                        w.Scalar("epoch_accuracy", 0.5 + (0.08 * step) - offset + (0.01 * index), step, Golden.At(T0 + step));
                    }
                });
            }
        }
    }

    private static void NoExperiment(Scenario s)
    {
        (string Name, Dictionary<string, object> HParams)[] sessions =
        [
            ("a", new() { ["lr"] = 0.1, ["opt"] = "adam", ["flag"] = true, ["mixed"] = 1, ["sometimes"] = "x" }),
            ("b", new() { ["lr"] = 0.01, ["opt"] = "sgd", ["flag"] = false, ["mixed"] = "two" }),
            ("c", new() { ["lr"] = 0.1, ["opt"] = "adam", ["flag"] = true, ["mixed"] = 3.5 }),
            ("d", new() { ["lr"] = 0.001, ["opt"] = "sgd", ["flag"] = true, ["mixed"] = false, ["sometimes"] = "y" }),
        ];
        for (int i = 0; i < sessions.Length; i++)
        {
            (string name, Dictionary<string, object> hparams) = sessions[i];
            int index = i;
            s.Run(name, T0 + i, (w, at) =>
            {
                w.HParams(hparams, startTime: Golden.At(T0 + index));
                w.Scalar("loss", 0.5 - (0.1 * index), 3, Golden.At(T0 + 3));
            });
            s.Run($"{name}/eval", T0 + i, (w, at) => w.Scalar("acc", 0.6 + (0.1 * index), 3, Golden.At(T0 + 3)));
        }

        s.Run("unrelated", T0, (w, at) => w.Scalar("loss", 9.0, 1, Golden.At(T0 + 1)));
    }

    private static void V1Scalars(Scenario s)
    {
        double[] values = [0.5, 0.25, 0.125, 1e-3, 3.14159];
        s.Run("v1", T0, (w, at) =>
        {
            for (int step = 0; step < values.Length; step++)
            {
                at(T0 + step);
                w.WriteSummary(SimpleValue("loss", values[step]), step);
            }
        });
        s.Run("v2", T0, (w, at) =>
        {
            for (int step = 0; step < values.Length; step++)
            {
                w.Scalar("loss", values[step], step, Golden.At(T0 + step), description: "the *loss*");
            }
        });
        s.Run("v2_double", T0, (w, at) =>
        {
            for (int step = 0; step < values.Length; step++)
            {
                at(T0 + step);
                var tensor = new TensorProto { Dtype = DataType.DtDouble, TensorShape = new TensorShapeProto(), DoubleVal = { values[step] } };
                w.WriteSummary(new Summary { Value = { new Summary.Types.Value { Tag = "loss", Metadata = ScalarSummaries.Metadata(), Tensor = tensor } } }, step);
            }
        });
        s.Run("mixed", T0, (w, at) =>
        {
            for (int step = 0; step < values.Length; step++)
            {
                at(T0 + step);
                w.WriteSummary(SimpleValue("old/loss", values[step]), step);
                w.Scalar("new_loss", 2 * values[step], step, Golden.At(T0 + step));
            }
        });
    }

    private static void MultiFile(Scenario s)
    {
        s.Run("two_files", T0, (w, at) =>
        {
            for (int step = 0; step < 5; step++)
            {
                w.Scalar("loss", 1.0 / (step + 1), step, Golden.At(T0 + step));
            }
        });
        s.Run("two_files", T0 + 3600, (w, at) =>
        {
            for (int step = 5; step < 10; step++)
            {
                w.Scalar("loss", 1.0 / (step + 1), step, Golden.At(T0 + step));
            }
        });
    }

    private static void ManySessions(Scenario s)
    {
        var lr = new HParam("lr", new RealInterval(0.001, 0.2));
        var units = new HParam("units", new IntInterval(8, 64));
        var opt = new HParam("opt", new Discrete("adam", "rmsprop", "sgd"));
        s.Run(".", T0, (w, at) => w.HParamsConfig([lr, units, opt], [new Metric("accuracy")], Golden.At(T0)));
        string[] optimizers = ["adam", "rmsprop", "sgd"];
        for (int i = 0; i < 200; i++)
        {
            int index = i;
            s.Run($"s{i:D3}", T0 + i, (w, at) =>
            {
                var hparams = new Dictionary<HParam, object>
                {
                    [lr] = (double)Math.Round((decimal)(0.001 + (0.001 * index)), 3),
                    [units] = 8 + (index % 8 * 8),
                    [opt] = optimizers[index % 3],
                };
                w.HParams(hparams, trialId: $"t{index:D3}", startTime: Golden.At(T0 + index));
                w.Scalar("accuracy", index * 37 % 100 / 100.0, 1, Golden.At(T0 + 1));
                at(T0 + 1);
                w.WriteSummary(HParamsSummaries.SessionEnd(SessionStatus.Success, Golden.At(T0 + index + 1)), 1);
            });
        }
    }

    private static Summary SimpleValue(string tag, double value) =>
        new() { Value = { new Summary.Types.Value { Tag = tag, SimpleValue = (float)value } } };

    /// <summary>Writes one event file per call, as the generator's write_run does.</summary>
    private sealed class Scenario(string logDir, ManualClock clock)
    {
        public void Run(string run, long fileTime, Action<SummaryWriter, Action<double>> write)
        {
            clock.SetUnixSeconds(fileTime);
            var options = new EventFileWriterOptions { TimeProvider = clock, WriterName = TensorBoardWriterName, FlushInterval = Timeout.InfiniteTimeSpan };
            using var writer = SummaryWriter.Create(Path.Combine(logDir, run), options);
            clock.SetUnixSeconds(T0);
            write(writer, clock.SetUnixSeconds);
        }
    }
}
