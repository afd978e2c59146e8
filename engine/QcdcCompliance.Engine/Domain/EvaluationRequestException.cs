namespace QcdcCompliance.Domain;

/// <summary>A request that cannot be evaluated or answered as asked (unknown period or area): the user's to fix.</summary>
public class EvaluationRequestException(string message) : Exception(message);
