using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Rules.Shared;

namespace QcdcCompliance.Rules.HaTinh02;

/// <summary>What NQ02-7a and NQ02-7b both test: the workers' conference held and the workplace dialogue at its minimum.</summary>
internal static class WorkerVoice
{
    public static Measured Measure(UnitReport report, TargetFact target) =>
        Measures.Both(
            Measures.Flag(report, Indicators.WorkerConferenceHeld),
            Measures.AtLeast(report, Indicators.WorkplaceDialogues, target));
}
