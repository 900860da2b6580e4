using System.Text.Json.Nodes;

namespace HParamsNet.Tests.Support;

/// <summary>Deep JSON equality where numbers compare by value (16 equals 16.0).</summary>
public static class JsonComparer
{
    public static bool DeepEquals(JsonNode? a, JsonNode? b, out string difference, string path = "$")
    {
        difference = string.Empty;
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject x, JsonObject y):
                foreach (string key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                {
                    if (!x.ContainsKey(key) || !y.ContainsKey(key))
                    {
                        difference = $"{path}.{key} present on one side only";
                        return false;
                    }

                    if (!DeepEquals(x[key], y[key], out difference, $"{path}.{key}"))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    difference = $"{path}: {x.Count} items vs {y.Count}";
                    return false;
                }

                for (int i = 0; i < x.Count; i++)
                {
                    if (!DeepEquals(x[i], y[i], out difference, $"{path}[{i}]"))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonValue x, JsonValue y):
                bool same = x.TryGetValue(out double dx) && y.TryGetValue(out double dy)
                    ? dx.Equals(dy)
                    : x.ToJsonString() == y.ToJsonString();
                if (!same)
                {
                    difference = $"{path}: {x.ToJsonString()} vs {y.ToJsonString()}";
                }

                return same;
            default:
                difference = $"{path}: {a?.ToJsonString() ?? "null"} vs {b?.ToJsonString() ?? "null"}";
                return false;
        }
    }
}
