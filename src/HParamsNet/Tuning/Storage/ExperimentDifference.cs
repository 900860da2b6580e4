using System.Globalization;
using Google.Protobuf;
using HParamsNet.Protos.HParams;

namespace HParamsNet.Tuning.Storage;

/// <summary>Says how two studies' hparams and metrics differ, in words a refusal message can use.</summary>
internal static class ExperimentDifference
{
    /// <summary>The first difference between a recorded experiment and this study's, in words; <see langword="null"/> when they agree.</summary>
    public static string? Describe(Experiment recorded, Experiment current)
    {
        var before = recorded.HparamInfos.ToDictionary(h => h.Name);
        var now = current.HparamInfos.ToDictionary(h => h.Name);
        foreach (string name in before.Keys.Except(now.Keys))
        {
            return $"hparam '{name}' is in the recorded study but not in this one";
        }

        foreach (string name in now.Keys.Except(before.Keys))
        {
            return $"hparam '{name}' is in this study but not in the recorded one";
        }

        foreach ((string name, HParamInfo info) in now)
        {
            HParamInfo old = before[name];
            if (old.Type != info.Type || !Equals(old.DomainDiscrete, info.DomainDiscrete) || !Equals(old.DomainInterval, info.DomainInterval))
            {
                return $"hparam '{name}' has domain {Domain(old)} there and {Domain(info)} here";
            }
        }

        string Metrics(Experiment e) => string.Join(", ", e.MetricInfos.Select(m => m.Name.Group.Length == 0 ? m.Name.Tag : $"{m.Name.Group}/{m.Name.Tag}").Order(StringComparer.Ordinal));
        return Metrics(recorded) == Metrics(current) ? null : $"the metrics are [{Metrics(recorded)}] there and [{Metrics(current)}] here";
    }

    private static string Domain(HParamInfo info) => info.DomainCase switch
    {
        HParamInfo.DomainOneofCase.DomainDiscrete => $"{{{string.Join(", ", info.DomainDiscrete.Values.Select(v => JsonFormatter.Default.Format(v)))}}}",
        HParamInfo.DomainOneofCase.DomainInterval => string.Create(CultureInfo.InvariantCulture, $"[{info.DomainInterval.MinValue}, {info.DomainInterval.MaxValue}]"),
        _ => info.Type.ToString(),
    };
}
