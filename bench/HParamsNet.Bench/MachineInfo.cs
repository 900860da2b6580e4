using System.Runtime.InteropServices;

namespace HParamsNet.Bench;

/// <summary>One line that says where a measurement was taken.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        string cpu = "unknown CPU";
        const string CpuInfo = "/proc/cpuinfo";
        if (File.Exists(CpuInfo))
        {
            cpu = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }

        return $"{RuntimeInformation.OSDescription}, {cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}";
    }
}
