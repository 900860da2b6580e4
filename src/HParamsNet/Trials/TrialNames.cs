using System.Globalization;
using System.Text.RegularExpressions;

namespace HParamsNet.Trials;

/// <summary>
/// Run names of trials: zero-padded so that no name is a string prefix of another's run
/// (TensorBoard's UI matches runs to sessions by prefix).
/// </summary>
internal static partial class TrialNames
{
    public static string Trial(int number) => string.Create(CultureInfo.InvariantCulture, $"trial-{number:D4}");

    /// <summary>
    /// The session group of a trial: its name and the study's id, so that the trials of studies
    /// below one TensorBoard log directory never merge (the folds of a trial share it).
    /// </summary>
    public static string Group(int number, string? studyId) => studyId is null ? Trial(number) : $"{Trial(number)}@{studyId}";

    /// <summary>The id of a shared study's session groups: from its name, so every worker (and a rebuild from the storage) writes the same groups without agreeing on anything else.</summary>
    public static string StudyId(string studyName) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(studyName)))[..8];

    public static string Session(int number, int? fold) =>
        fold is int f ? string.Create(CultureInfo.InvariantCulture, $"{Trial(number)}/fold-{f:D2}") : Trial(number);

    /// <summary>Parses <c>trial-NNNN</c> or <c>trial-NNNN/fold-KK</c> (and any run below them: sub-runs).</summary>
    public static bool TryParse(string runName, out int number, out int? fold, out bool isSubRun)
    {
        Match match = Pattern().Match(runName.Replace('\\', '/'));
        number = 0;
        fold = null;
        isSubRun = false;
        if (!match.Success)
        {
            return false;
        }

        number = int.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        fold = match.Groups["fold"].Success ? int.Parse(match.Groups["fold"].Value, CultureInfo.InvariantCulture) : null;
        isSubRun = match.Groups["rest"].Success;
        return true;
    }

    [GeneratedRegex(@"^trial-(?<number>\d{4,})(/fold-(?<fold>\d{2,}))?(?<rest>/.+)?$")]
    private static partial Regex Pattern();
}
