using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Tickets;

/// <summary>The result of adding a message: the message, and the ticket it landed on (a follow-up maybe).</summary>
public sealed record AppendResult(Ticket Ticket, TicketMessage Message, bool Duplicate, Ticket.CustomerMessageOutcome? Outcome = null);

/// <summary>
/// Every write to a ticket goes through here: load, check the caller's version, apply the rules
/// of the aggregate, commit. Nothing is half-written: a refusal throws before SaveChanges.
/// </summary>
public sealed class TicketService(HelpdeskDbContext db, TicketRouting routing, TimeProvider clock)
{
    private const int MaxAttempts = 5;
    private const int NumberAttempts = 40;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Ticket> CreateAsync(NewTicket spec, Actor actor, CancellationToken ct = default)
    {
        if (spec.CustomerId is { } customerId && _batch?.KnownCustomers.Contains(customerId) != true)
        {
            if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
                throw new TicketRuleException("unknown_customer", $"Customer {customerId} does not exist.");
            _batch?.KnownCustomers.Add(customerId);
        }
        spec = _batch is null ? await routing.RouteAsync(spec, ct) : await RouteInBatchAsync(spec, ct);
        if (spec.AssigneeId is { } assignee)
            await EnsureActiveStaffAsync(assignee, ct);
        if (_batch is { } batch)
        {
            // One transaction holds every number it hands out, so max is read once and counted up.
            // Another node taking the same number still fails on the unique index: the caller's
            // savepoint undoes this ticket and Forget makes the next one read max again.
            var number = (batch.LastNumber ??= await LastNumberAsync(ct)) + 1;
            var opened = Ticket.Open(number, spec, actor, Now);
            db.Tickets.Add(opened);
            await db.SaveChangesAsync(ct);
            batch.LastNumber = number;
            return opened;
        }
        for (var attempt = 1; ; attempt++)
        {
            // Numbers are max+1 under a unique index: two nodes racing for the same number
            // make one insert fail, and that one takes the next number.
            var ticket = Ticket.Open(await LastNumberAsync(ct) + 1, spec, actor, Now);
            db.Tickets.Add(ticket);
            try
            {
                await db.SaveChangesAsync(ct);
                return ticket;
            }
            catch (DbUpdateException) when (attempt < NumberAttempts)
            {
                db.ChangeTracker.Clear();
                // Every round one of the racing writers wins, so n writers need at most n rounds; a
                // little random wait (real time: this is contention, not domain time) spreads them out.
                // On SQLite writers queue anyway; PostgreSQL and SQL Server let them collide.
                await Task.Delay(Random.Shared.Next(1, 2 + 2 * attempt), ct);
            }
        }
    }

    /// <summary>
    /// For a writer that creates many tickets in one transaction of its own (mail intake): from now
    /// on this service reads the highest number once and counts up, and looks up the routing and
    /// the customer of equal tickets once. It saves but never retries: the caller owns the
    /// transaction, undoes a failed ticket with its savepoint and then calls <see cref="TicketBatch.Forget"/>.
    /// </summary>
    public TicketBatch BeginBatch() => _batch = new TicketBatch();

    private TicketBatch? _batch;

    private async Task<long> LastNumberAsync(CancellationToken ct) =>
        await db.Tickets.MaxAsync(t => (long?)t.Number, ct) ?? TicketLimits.FirstNumber - 1;

    private async Task<NewTicket> RouteInBatchAsync(NewTicket spec, CancellationToken ct)
    {
        var key = (spec.TeamId, spec.QueueId, spec.Type, spec.Category);
        if (!_batch!.Routes.TryGetValue(key, out var route))
        {
            var routed = await routing.RouteAsync(spec, ct);
            _batch.Routes[key] = route = (routed.TeamId, routed.QueueId);
        }
        return spec with { TeamId = route.TeamId, QueueId = route.QueueId };
    }

    public Task<AppendResult> ReplyAsync(long number, string body, Actor agent, Guid agentId, string? clientMessageId, int? expectedVersion, CancellationToken ct = default) =>
        AppendAsync(number, clientMessageId, expectedVersion, t => t.AddAgentReply(body, agent, agentId, Now, clientMessageId), ct);

    public Task<AppendResult> AddNoteAsync(long number, string body, Actor agent, string? clientMessageId, int? expectedVersion, CancellationToken ct = default) =>
        AppendAsync(number, clientMessageId, expectedVersion, t => t.AddInternalNote(body, agent, Now, clientMessageId), ct);

    /// <summary>
    /// A customer wrote about a ticket. A reply after feedback or archiving opens a linked
    /// follow-up; a reply to a merged duplicate lands on the ticket it was merged into.
    /// </summary>
    public async Task<AppendResult> AddCustomerMessageAsync(long number, string body, Actor customer, string? clientMessageId, CancellationToken ct = default)
    {
        for (var hops = 0; ; hops++)
        {
            var ticket = await LoadAsync(number, ct);
            if (await FindDuplicateAsync(ticket, clientMessageId, ct) is { } seen)
                return new AppendResult(ticket, seen, Duplicate: true);

            var outcome = ticket.AddCustomerMessage(body, customer, Now, clientMessageId, out var message);
            switch (outcome)
            {
                case Ticket.CustomerMessageOutcome.GoesToMergeTarget when hops < 10:
                    number = await db.Tickets.Where(t => t.Id == ticket.MergedIntoTicketId).Select(t => t.Number).SingleAsync(ct);
                    continue;
                case Ticket.CustomerMessageOutcome.FollowUpNeeded:
                    // A retry of the message that opened a follow-up finds it there: one follow-up, not two.
                    if (await FindInFollowUpsAsync(ticket, clientMessageId, ct) is { } earlier)
                        return earlier;
                    var followUp = await CreateAsync(new NewTicket(
                        FollowUpSubject(ticket.Subject), ticket.Type, ticket.Channel, ticket.Priority, ticket.Category,
                        body, ticket.CustomerId, ticket.TeamId, ticket.QueueId, null, ticket.Tags,
                        FollowUpOfTicketId: ticket.Id, ClientMessageId: clientMessageId, Language: ticket.Language), customer, ct);
                    return new AppendResult(followUp, followUp.Messages.Last(m => m.Kind == MessageKind.Customer), false, outcome);
            }
            await db.SaveChangesAsync(ct);
            return new AppendResult(ticket, message!, false, outcome);
        }
    }

    /// <summary>
    /// A customer-side message that moves no status (mail nobody wrote, mail held by the sender
    /// limit). A merged ticket passes it on to the ticket it was merged into.
    /// </summary>
    public async Task<AppendResult> AddQuietCustomerMessageAsync(long number, string body, Actor customer, string? clientMessageId, CancellationToken ct = default)
    {
        for (var hops = 0; ; hops++)
        {
            var ticket = await LoadAsync(number, ct);
            if (await FindDuplicateAsync(ticket, clientMessageId, ct) is { } seen)
                return new AppendResult(ticket, seen, Duplicate: true);
            var message = ticket.AddQuietCustomerMessage(body, customer, Now, clientMessageId);
            if (message is null)
            {
                if (hops >= 10) throw new TicketRuleException("merge_chain", $"Ticket {number} is merged too many times over.");
                number = await db.Tickets.Where(t => t.Id == ticket.MergedIntoTicketId).Select(t => t.Number).SingleAsync(ct);
                continue;
            }
            await db.SaveChangesAsync(ct);
            return new AppendResult(ticket, message, false);
        }
    }

    /// <summary>Sets assignee and team; a new team without a named queue gives its queue for the ticket's type.</summary>
    public async Task<Ticket> AssignAsync(long number, Guid? assigneeId, int? teamId, int? queueId, Actor actor, int? expectedVersion, CancellationToken ct = default)
    {
        var ticket = await LoadAsync(number, ct);
        CheckVersion(ticket, expectedVersion);
        if (teamId is not null && !await db.Teams.AnyAsync(t => t.Id == teamId, ct))
            throw new TicketRuleException("unknown_team", $"Team {teamId} does not exist.");
        // Only a new assignee must be active: a disabled agent's ticket can still move team.
        if (assigneeId is { } assignee && assignee != ticket.AssigneeId)
            await EnsureActiveStaffAsync(assignee, ct);
        var queue = teamId == ticket.TeamId && queueId is null ? ticket.QueueId : await routing.QueueForAsync(teamId, queueId, ticket.Type, ct);
        ticket.Assign(assigneeId, teamId, actor, Now, queue);
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    public Task<Ticket> ChangeStatusAsync(long number, TicketStatus status, Actor actor, string? reason, int? expectedVersion, CancellationToken ct = default) =>
        ChangeAsync(number, expectedVersion, t => t.ChangeStatus(status, actor, Now, reason), ct);

    public Task<Ticket> UpdateDetailsAsync(long number, TicketPriority? priority, IReadOnlyList<string>? tags, Actor actor, int? expectedVersion, CancellationToken ct = default) =>
        ChangeAsync(number, expectedVersion, t =>
        {
            if (priority is { } p) t.Reprioritise(p, actor, Now);
            if (tags is not null) t.Retag(tags, actor, Now);
        }, ct);

    public Task<Ticket> EndChatAsync(long number, Actor actor, CancellationToken ct = default) =>
        ChangeAsync(number, null, t => t.EndChat(actor, Now), ct);

    /// <summary>Merges a duplicate into the target; both change in one transaction.</summary>
    public async Task<(Ticket Source, Ticket Target)> MergeAsync(long sourceNumber, long targetNumber, Actor actor, int? expectedVersion, CancellationToken ct = default)
    {
        var source = await db.Tickets.Include(t => t.Messages).SingleOrDefaultAsync(t => t.Number == sourceNumber, ct)
            ?? throw new NotFoundException($"Ticket {sourceNumber} does not exist.");
        var target = await db.Tickets.SingleOrDefaultAsync(t => t.Number == targetNumber, ct)
            ?? throw new NotFoundException($"Ticket {targetNumber} (the merge target) does not exist.");
        CheckVersion(source, expectedVersion);
        // Client ids are unique per ticket: a message both tickets hold is kept once, on the target.
        var sourceClientIds = source.Messages.Where(m => m.ClientMessageId is not null).Select(m => m.ClientMessageId!).ToList();
        var onTarget = sourceClientIds.Count == 0 ? [] : await db.TicketMessages
            .Where(m => m.TicketId == target.Id && m.ClientMessageId != null && sourceClientIds.Contains(m.ClientMessageId))
            .Select(m => m.ClientMessageId!).ToListAsync(ct);
        source.MergeInto(target, actor, Now, onTarget.ToHashSet(StringComparer.Ordinal));
        await db.SaveChangesAsync(ct);
        return (source, target);
    }

    /// <summary>
    /// Changes a ticket. Without an expected version the caller asked for "this change on the ticket as it
    /// is now", so a clash with a background writer (triage, an acknowledgement, an SLA timer) is retried on
    /// a fresh copy, where the rules are checked again; with one, the caller hears of it (409).
    /// </summary>
    private async Task<Ticket> ChangeAsync(long number, int? expectedVersion, Action<Ticket> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ticket = await LoadAsync(number, ct);
            CheckVersion(ticket, expectedVersion);
            change(ticket);
            try
            {
                await db.SaveChangesAsync(ct);
                return ticket;
            }
            catch (DbUpdateConcurrencyException) when (expectedVersion is null && attempt < MaxAttempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Appends to a timeline. Without an expected version a concurrent append is harmless, so a
    /// concurrency clash is retried on a fresh copy; with one, the caller hears of it (409).
    /// </summary>
    private async Task<AppendResult> AppendAsync(long number, string? clientMessageId, int? expectedVersion,
        Func<Ticket, TicketMessage> append, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ticket = await LoadAsync(number, ct);
            if (await FindDuplicateAsync(ticket, clientMessageId, ct) is { } seen)
                return new AppendResult(ticket, seen, Duplicate: true);
            CheckVersion(ticket, expectedVersion);
            var message = append(ticket);
            try
            {
                await db.SaveChangesAsync(ct);
                return new AppendResult(ticket, message, false);
            }
            catch (DbUpdateException) when (expectedVersion is null && attempt < MaxAttempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task EnsureActiveStaffAsync(Guid assigneeId, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == assigneeId && !u.IsDisabled, ct))
            throw new TicketRuleException("unknown_assignee", "The assignee is not an active staff user.");
    }

    private async Task<Ticket> LoadAsync(long number, CancellationToken ct) =>
        await db.Tickets.SingleOrDefaultAsync(t => t.Number == number, ct)
        ?? throw new NotFoundException($"Ticket {number} does not exist.");

    private async Task<TicketMessage?> FindDuplicateAsync(Ticket ticket, string? clientMessageId, CancellationToken ct) =>
        clientMessageId is null ? null
            : await db.TicketMessages.SingleOrDefaultAsync(m => m.TicketId == ticket.Id && m.ClientMessageId == clientMessageId, ct);

    private async Task<AppendResult?> FindInFollowUpsAsync(Ticket original, string? clientMessageId, CancellationToken ct)
    {
        if (clientMessageId is null)
            return null;
        var seen = await (from m in db.TicketMessages
                          join t in db.Tickets on m.TicketId equals t.Id
                          where t.FollowUpOfTicketId == original.Id && m.ClientMessageId == clientMessageId
                          orderby t.Number
                          select new { Ticket = t, Message = m }).FirstOrDefaultAsync(ct);
        return seen is null ? null : new AppendResult(seen.Ticket, seen.Message, Duplicate: true);
    }

    private static void CheckVersion(Ticket ticket, int? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != ticket.Version)
            throw new StaleVersionException(expected, ticket.Version);
    }

    private static string FollowUpSubject(string subject)
    {
        var text = subject.StartsWith("Follow-up: ", StringComparison.Ordinal) ? subject : "Follow-up: " + subject;
        return text.Length <= TicketLimits.SubjectMax ? text : text[..TicketLimits.SubjectMax];
    }
}

/// <summary>What a batch of ticket creations in one transaction remembers (see <see cref="TicketService.BeginBatch"/>).</summary>
public sealed class TicketBatch
{
    internal long? LastNumber { get; set; }
    internal HashSet<long> KnownCustomers { get; } = [];
    internal Dictionary<(int?, int?, TicketType, AfterSalesCategory), (int? TeamId, int? QueueId)> Routes { get; } = [];

    /// <summary>After a savepoint undid a mail's work: the next number and customers come from the tables again.</summary>
    public void Forget()
    {
        LastNumber = null;
        KnownCustomers.Clear();
    }

    /// <summary>A customer the caller found or created in this transaction: no need to look it up again.</summary>
    public void Vouch(long customerId) => KnownCustomers.Add(customerId);
}
