namespace QcdcCompliance.Domain;

/// <summary>
/// A request that cannot be evaluated or answered as asked (unknown period or area): the user's to fix. Where the place
/// that refuses it words it in Vietnamese too, <see cref="MessageVi"/> has it (the API's problem in Vietnamese).
/// </summary>
public class EvaluationRequestException(string message, string? messageVi = null) : Exception(message)
{
    public string? MessageVi { get; } = messageVi;
}

/// <summary>A target code that no target set the principal may know defines: a request's to fix, naming the code as written.</summary>
public sealed class UnknownTargetException(string code) : EvaluationRequestException($"unknown target {code}", $"không có chỉ tiêu {code}")
{
    public string Code { get; } = code;
}
