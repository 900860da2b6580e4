// Benchmarks; results go to docs/benchmarks.md with date, machine and command.
//   dotnet run -c Release --project bench/HParamsNet.Bench -- events      throughput + allocation, with baselines
//   dotnet run -c Release --project bench/HParamsNet.Bench -- io-limit    SummaryWriter.Scalar against the least work a scalar writer does, interleaved
//   dotnet run -c Release --project bench/HParamsNet.Bench -- torch       digits MLP: epoch time, tracking overhead, memory over 100 trials, vs TorchSharp's writer
//   dotnet run -c Release --project bench/HParamsNet.Bench -- tuner       the tuner's own time per trial, parallel speed-up
//   dotnet run -c Release --project bench/HParamsNet.Bench -- suite       the sampler suite (20 seeds x 100 trials), writes docs/sampler-suite.json
//   dotnet run -c Release --project bench/HParamsNet.Bench -- mo-suite    the multi-objective suite (20 seeds x 300 trials), writes docs/mo-suite.json (--dump: seed 0's front at 100)
//   dotnet run -c Release --project bench/HParamsNet.Bench -- dashboards [--pytorch TB_SRC]  events/s per dashboard kind: ours, PyTorch's, TorchSharp's writer
//   dotnet run -c Release --project bench/HParamsNet.Bench -- gp-scale    one proposal's cost at 100, 200, 500, 1000 finished trials (GP vs TPE; fresh instance, trials read back)
//   dotnet run -c Release --project bench/HParamsNet.Bench -- mlnet-nested the ML.NET example's comparison by nested cross-validation (every row held out once)
//   dotnet run -c Release --project bench/HParamsNet.Bench -- compare-data DIR   the CLI benchmark's log directory (10,000 sessions x 100 steps x 2 metrics)
//   dotnet run -c Release --project bench/HParamsNet.Bench -- storage     the study storages alone: trials/s with 4 tasks, reading 10,000 trials
//   dotnet run -c Release --project bench/HParamsNet.Bench -- ask-tell    one ask + tell of a Study with 10,000 trials in it, per store
//   dotnet run -c Release --project bench/HParamsNet.Bench -- report DIR  the study report of DIR (e.g. compare-data's): read, build, load in Chromium
//   dotnet run -c Release --project bench/HParamsNet.Bench -- bdn [args]  BenchmarkDotNet (memory diagnoser)
using BenchmarkDotNet.Running;
using HParamsNet.Bench;

string command = args.Length > 0 ? args[0] : "events";
switch (command)
{
    case "events":
        EventThroughput.Run(args.Skip(1).ToArray());
        break;
    case "io-limit":
        ScalarIoLimit.Run(args[1..]);
        break;
    case "torch":
        TorchTraining.Run(args.Skip(1).ToArray());
        break;
    case "tuner":
        TunerOverhead.Run(args.Skip(1).ToArray());
        break;
    case "suite":
        SamplerSuite.Run(args.Skip(1).ToArray());
        break;
    case "dashboards":
        DashboardThroughput.Run(args[1..]);
        break;
    case "mo-suite":
        MoSuite.Run(args[1..]);
        break;
    case "gp-scale":
        GpScale.Run(args[1..]);
        break;
    case "mlnet-nested":
        MLNetNested.Run(args[1..]);
        break;
    case "compare-data":
        CompareData.Run(args.Skip(1).ToArray());
        break;
    case "storage":
        StorageThroughput.Run(args.Skip(1).ToArray());
        break;
    case "ask-tell":
        AskTellLatency.Run(args.Skip(1).ToArray());
        break;
    case "report":
        ReportTiming.Run(args.Skip(1).ToArray());
        break;
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(EventThroughput).Assembly).Run(args.Skip(1).ToArray());
        break;
    default:
        Console.Error.WriteLine($"Unknown command '{command}'. Use: events | io-limit | torch | tuner | suite | mo-suite | dashboards | gp-scale | mlnet-nested | compare-data | storage | ask-tell | report | bdn");
        Environment.Exit(2);
        break;
}
