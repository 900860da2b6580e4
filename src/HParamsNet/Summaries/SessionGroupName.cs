using System.Security.Cryptography;
using System.Text;

namespace HParamsNet.Summaries;

/// <summary>
/// The session group name TensorBoard's Python writer derives when no trial id is given, so
/// that sessions written from Python and from .NET with the same hparams group together.
/// </summary>
public static class SessionGroupName
{
    /// <summary>
    /// The lowercase hex SHA-256 of the hparams as Python's
    /// <c>json.dumps(hparams, sort_keys=True, separators=(",", ":"))</c> writes them.
    /// </summary>
    /// <param name="hparams">Values by hparam name; whole numbers serialise as <c>16</c>, others as <c>16.0</c>.</param>
    /// <exception cref="ArgumentException">A value is not a finite number, a string or a bool.</exception>
    public static string Derive(IReadOnlyDictionary<string, object> hparams)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        var normalized = hparams.Select(pair => KeyValuePair.Create(pair.Key, HParamValues.Normalize(pair.Key, pair.Value)));
        string json = PythonJson.SerializeSortedObject(normalized);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }
}
