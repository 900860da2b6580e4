using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HParamsNet.Summaries;
using TorchSharp;
using static TorchSharp.torch;

namespace HParamsNet.Bench;

/// <summary>
/// Events per second for each dashboard kind, on the same data, for HParamsNet's SummaryWriter,
/// TorchSharp's writer (histograms, images, text: the kinds it has) and PyTorch's writer (a Python
/// process in the same run: bench/dashboards_pytorch.py), files on tmpfs. For images and audio, the
/// share of HParamsNet's time spent encoding (PNG, WAV) is measured apart.
/// </summary>
internal static class DashboardThroughput
{
    private const int HistogramValues = 10_000;
    private const int PrExamples = 1_000;
    private const int ImageSide = 64;
    private const int AudioSamples = 16_000;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static void Run(string[] args)
    {
        int scale = SamplerSuite.ArgInt(args, "--scale", 1);
        string? pytorch = SamplerSuite.ArgString(args, "--pytorch"); // the tensorboard source tree PyTorch's writer imports (oracle WORKDIR/src)
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string dir = Path.Combine(root, "hparamsnet-dashboards", Guid.NewGuid().ToString("N"));
        var counts = new Dictionary<string, int>
        {
            ["histogram"] = 2_000 * scale,
            ["pr_curve"] = 2_000 * scale,
            ["text"] = 20_000 * scale,
            ["image"] = 1_000 * scale,
            ["audio"] = 500 * scale,
        };

        var random = new Random(7);
        double[] histogram = [.. Enumerable.Range(0, HistogramValues).Select(_ => Normal(random))];
        bool[] labels = [.. Enumerable.Range(0, PrExamples).Select(_ => random.NextDouble() < 0.4)];
        float[] predictions = [.. labels.Select(l => (float)Math.Clamp((l ? 0.65 : 0.35) + (0.2 * Normal(random)), 0, 1))];
        byte[] image = [.. Enumerable.Range(0, ImageSide * ImageSide * 3).Select(_ => (byte)random.Next(256))];
        float[] audio = [.. Enumerable.Range(0, AudioSamples).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / 16000.0)))];
        const string markdown = "| epoch | loss |\n|---:|---:|\n| 1 | 0.25 |\n\nA note on this run.";
        var ours = new Dictionary<string, double>();
        var theirsTorchSharp = new Dictionary<string, double>();
        var encoding = new Dictionary<string, double>();
        try
        {
            ours["histogram"] = Rate(counts["histogram"], (w, step) => w.Histogram("h", histogram, step), Path.Combine(dir, "ours-h"));
            ours["pr_curve"] = Rate(counts["pr_curve"], (w, step) => w.PrCurve("pr", labels, predictions, step), Path.Combine(dir, "ours-pr"));
            ours["text"] = Rate(counts["text"], (w, step) => w.Text("t", markdown, step), Path.Combine(dir, "ours-t"));
            ours["image"] = Rate(counts["image"], (w, step) => w.Image("i", image, ImageSide, ImageSide, 3, step), Path.Combine(dir, "ours-i"));
            ours["audio"] = Rate(counts["audio"], (w, step) => w.Audio("a", audio, 16000, step), Path.Combine(dir, "ours-a"));
            encoding["image"] = Time(counts["image"], () => MediaSummaries.Image("i", [image], ImageSide, ImageSide, 3)) / (counts["image"] / ours["image"]);
            encoding["audio"] = Time(counts["audio"], () => MediaSummaries.Audio("a", audio, 16000)) / (counts["audio"] / ours["audio"]);

            using (var values = tensor(histogram.Select(v => (float)v).ToArray()))
            using (var picture = tensor(image, [ImageSide, ImageSide, 3]).permute(2, 0, 1).contiguous())
            {
                theirsTorchSharp["histogram"] = TorchSharpRate(counts["histogram"], (w, step) => w.add_histogram("h", values, step), Path.Combine(dir, "ts-h"));
                theirsTorchSharp["text"] = TorchSharpRate(counts["text"], (w, step) => w.add_text("t", markdown, step), Path.Combine(dir, "ts-t"));
                try
                {
                    theirsTorchSharp["image"] = TorchSharpRate(counts["image"], (w, step) => w.add_img("i", picture, step), Path.Combine(dir, "ts-i"));
                }
                catch (TypeInitializationException e) when (e.InnerException is DllNotFoundException or TypeInitializationException)
                {
                    // TorchSharp encodes images with SkiaSharp, whose native library it does not bring.
                    Console.Error.WriteLine($"TorchSharp's add_img cannot run here: {e.InnerException.Message.Split('\n')[0]}");
                }
            }

            Dictionary<string, double>? py = pytorch is null ? null : PyTorch(pytorch, counts, Path.Combine(dir, "pytorch"));
            Console.WriteLine($"# Dashboards: events per second — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {MachineInfo.Describe()}; files on {root}");
            Console.WriteLine();
            Console.WriteLine("| kind (data) | events | HParamsNet | PyTorch | TorchSharp | HParamsNet / PyTorch | HParamsNet encoding share |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            string[] data =
            [
                $"histogram ({HistogramValues:N0} values, 30 buckets)", $"pr_curve ({PrExamples:N0} examples, 201 thresholds)", "text (a Markdown table)",
                $"image ({ImageSide}x{ImageSide} RGB, PNG)", $"audio ({AudioSamples:N0} samples, WAV)",
            ];
            foreach ((string kind, string what) in counts.Keys.Zip(data))
            {
                string Cell(Dictionary<string, double>? rates) => rates is not null && rates.TryGetValue(kind, out double r) ? r.ToString("N0", CultureInfo.InvariantCulture) : "-";
                string ratio = py is not null && py.TryGetValue(kind, out double p) ? (ours[kind] / p).ToString("F1", CultureInfo.InvariantCulture) + "x" : "-";
                string share = encoding.TryGetValue(kind, out double e) ? e.ToString("P0", CultureInfo.InvariantCulture) : "-";
                Console.WriteLine($"| {what} | {counts[kind]:N0} | {Cell(ours)} | {Cell(py)} | {Cell(theirsTorchSharp)} | {ratio} | {share} |");
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    // Each kind is first written for a second into a scratch run, so that the JIT has compiled its
    // hot code (tiered compilation needs some time, not only some calls) before the clock starts;
    // the Python writer has no such warm-up to pay.
    private static double Rate(int events, Action<SummaryWriter, long> write, string dir)
    {
        using (SummaryWriter warm = SummaryWriter.Create(dir + "-warm-up"))
        {
            long step = 0;
            for (var warming = Stopwatch.StartNew(); warming.Elapsed < WarmUp; step++)
            {
                write(warm, step);
            }
        }

        var clock = Stopwatch.StartNew();
        using (SummaryWriter writer = SummaryWriter.Create(dir))
        {
            for (int i = 0; i < events; i++)
            {
                write(writer, i);
            }
        }

        return events / clock.Elapsed.TotalSeconds;
    }

    private static double Time(int events, Action encode)
    {
        for (var warming = Stopwatch.StartNew(); warming.Elapsed < WarmUp;)
        {
            encode();
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < events; i++)
        {
            encode();
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static double TorchSharpRate(int events, Action<global::TorchSharp.Modules.SummaryWriter, int> write, string dir)
    {
        var warm = torch.utils.tensorboard.SummaryWriter(dir + "-warm-up");
        int step = 0;
        for (var warming = Stopwatch.StartNew(); warming.Elapsed < WarmUp; step++)
        {
            write(warm, step);
        }

        var clock = Stopwatch.StartNew();
        var writer = torch.utils.tensorboard.SummaryWriter(dir);
        for (int i = 0; i < events; i++)
        {
            write(writer, i);
        }

        return events / clock.Elapsed.TotalSeconds;
    }

    private static Dictionary<string, double> PyTorch(string tensorboardSource, Dictionary<string, int> counts, string dir)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "dashboards_pytorch.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(dir);
        start.ArgumentList.Add(JsonSerializer.Serialize(counts));
        start.Environment["PYTHONPATH"] = tensorboardSource;
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"PyTorch's writer failed: {error}");
        }

        return JsonSerializer.Deserialize<Dictionary<string, double>>(output.Trim().Split('\n')[^1])!;
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
