namespace HParamsNet.Reports.Importance;

/// <summary>How much an hparam matters to the objective: a share of the total, the shares summing to 1.</summary>
/// <param name="Name">The hparam's name.</param>
/// <param name="Importance">Its share, from 0 to 1.</param>
public sealed record HParamImportance(string Name, double Importance);
