namespace Helpdesk.Core.Sla;

/// <summary>
/// The configured policies in matching order. Built once from configuration; refuses a set that
/// could leave a ticket without a policy or that holds a policy no ticket can reach.
/// </summary>
public sealed class SlaPolicySet
{
    private readonly SlaPolicy[] _inOrder;

    public SlaPolicySet(IEnumerable<SlaPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        _inOrder = policies.OrderBy(p => p.Order).ToArray();
        var problems = _inOrder.SelectMany(p => p.Problems()).ToList();

        foreach (var group in _inOrder.GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add($"The SLA policy key '{group.Key}' is used {group.Count()} times.");
        foreach (var group in _inOrder.GroupBy(p => p.Order).Where(g => g.Count() > 1))
            problems.Add($"SLA policies {string.Join(", ", group.Select(p => $"'{p.Key}'"))} share Order {group.Key}; give each its own place.");

        var catchAll = Array.FindIndex(_inOrder, p => p.Conditions.IsCatchAll);
        if (catchAll < 0)
            problems.Add("The SLA policies need a catch-all default (a policy without conditions), so every ticket gets one.");
        else
            foreach (var unreachable in _inOrder.Skip(catchAll + 1))
                problems.Add($"SLA policy '{unreachable.Key}' (Order {unreachable.Order}) is never reached: the catch-all '{_inOrder[catchAll].Key}' (Order {_inOrder[catchAll].Order}) comes before it.");

        if (problems.Count > 0)
            throw new ArgumentException(string.Join(" ", problems));
    }

    public IReadOnlyList<SlaPolicy> InOrder => _inOrder;

    /// <summary>The first policy, in order, whose conditions the ticket meets.</summary>
    public SlaPolicy Match(SlaSubject subject)
    {
        foreach (var policy in _inOrder)
            if (policy.Conditions.Matches(subject))
                return policy;
        throw new InvalidOperationException("Unreachable: the set has a catch-all.");
    }

    public SlaPolicy? Find(string key) =>
        _inOrder.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
}
