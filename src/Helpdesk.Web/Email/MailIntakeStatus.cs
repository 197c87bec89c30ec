using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Email;

/// <summary>How each mailbox's worker is doing, for /healthz.</summary>
public sealed class MailIntakeStatus
{
    public sealed record State(bool Connected, string? Problem, DateTime? Since, long Taken, string? WaitingBy = null);

    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    public void Connected(string mailbox, DateTime at) =>
        _states.AddOrUpdate(mailbox, _ => new State(true, null, at, 0), (_, s) => s with { Connected = true, Problem = null, Since = at, WaitingBy = null });

    /// <summary>All mail taken; waiting for more (how: "IDLE" or "polling every ...").</summary>
    public void Waiting(string mailbox, string how) =>
        _states.AddOrUpdate(mailbox, _ => new State(true, null, null, 0, how), (_, s) => s with { WaitingBy = how });

    public void Failed(string mailbox, string problem, DateTime at) =>
        _states.AddOrUpdate(mailbox, _ => new State(false, problem, at, 0), (_, s) => s with { Connected = false, Problem = problem, Since = s.Problem is null ? at : s.Since, WaitingBy = null });

    public void Took(string mailbox) =>
        _states.AddOrUpdate(mailbox, _ => new State(true, null, null, 1), (_, s) => s with { Taken = s.Taken + 1, WaitingBy = null });

    public State? Of(string mailbox) => _states.GetValueOrDefault(mailbox);
}

/// <summary>
/// Mail intake in /healthz: without mailboxes it is healthy and says so ("not configured"); a
/// mailbox that cannot connect makes it Degraded with the reason (the app still serves chat and tickets).
/// </summary>
public sealed class MailIntakeHealthCheck(MailIntakeStatus status, IOptions<EmailOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var mailboxes = options.Value.Mailboxes;
        if (mailboxes.Count == 0)
            return Task.FromResult(HealthCheckResult.Healthy("Mail intake is not configured (no Email:Mailboxes)."));
        var problems = new List<string>();
        var parts = new List<string>();
        foreach (var m in mailboxes)
        {
            var state = status.Of(m.Name);
            if (state is { Problem: { } problem })
                problems.Add($"{m.Name}: {problem}");
            else
                parts.Add($"{m.Name}: {(state?.Connected == true ? "connected" : "connecting")}, {state?.Taken ?? 0} taken in"
                    + (state?.WaitingBy is { } how ? $", waiting for mail ({how})" : ""));
        }
        var data = new Dictionary<string, object> { ["mailboxes"] = mailboxes.Count };
        return Task.FromResult(problems.Count > 0
            ? HealthCheckResult.Degraded(string.Join("; ", problems.Concat(parts)), data: data)
            : HealthCheckResult.Healthy(string.Join("; ", parts), data));
    }
}
