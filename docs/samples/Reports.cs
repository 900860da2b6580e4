#region usings
using HParamsNet.Reports;
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The report guide.</summary>
public static class ReportsSample
{
    public static async Task WriteAsync(string logDir = "logs/hparam_tuning", string path = "logs/hparam_tuning.html")
    {
        #region report
        // One self-contained HTML page: summary, history, importances, parallel coordinates, slices,
        // intermediate values and the trials table. Several log directories are drawn side by side.
        StudyReport report = StudyReport.Load([logDir], new ReportOptions());
        await report.WriteAsync(path);
        #endregion
    }
}
