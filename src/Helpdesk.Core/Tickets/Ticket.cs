using Helpdesk.Core.Escalation;
using Helpdesk.Core.Triage;

namespace Helpdesk.Core.Tickets;

/// <summary>
/// The ticket aggregate: every contact is one. It guards the lifecycle, numbers its timeline and
/// records every change in its history. Methods that change it bump <see cref="Version"/>, which
/// storage uses as the optimistic-concurrency token.
/// The <see cref="Messages"/> collection need not be loaded to append: numbering comes from
/// <see cref="LastSequence"/>, so a reply does not read the whole timeline.
/// </summary>
public sealed class Ticket
{
    private readonly List<TicketMessage> _messages = [];
    private readonly List<TicketHistoryEntry> _history = [];
    private readonly List<TicketEvent> _events = [];

    private Ticket() { }

    public long Id { get; private set; }
    public long Number { get; private set; }
    public string Subject { get; private set; } = "";
    public TicketType Type { get; private set; }
    public AfterSalesCategory Category { get; private set; }
    public TicketPriority Priority { get; private set; }
    public TicketChannel Channel { get; private set; }
    public TicketStatus Status { get; private set; }
    public int? TeamId { get; private set; }
    public int? QueueId { get; private set; }
    public Guid? AssigneeId { get; private set; }
    public long? CustomerId { get; private set; }
    public List<string> Tags { get; private set; } = [];
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime? ResolvedAt { get; private set; }
    public int LastSequence { get; private set; }
    public int Version { get; private set; }
    public long? MergedIntoTicketId { get; private set; }
    public long? FollowUpOfTicketId { get; private set; }

    /// <summary>Read receipts: the last timeline entry each side has seen.</summary>
    public int CustomerReadSequence { get; private set; }
    public int StaffReadSequence { get; private set; }

    /// <summary>The customer's language when known (zh-CN, en): the chat widget's; scripts are chosen by it.</summary>
    public string? Language { get; private set; }
    /// <summary>How a complaint is handled (design §5), set by triage; the SLA policy matcher reads it.</summary>
    public HandlingMode? HandlingMode { get; private set; }

    /// <summary>Flags triage raised on this ticket so far (they only accumulate).</summary>
    public TriageFlags TriageFlags { get; private set; }

    /// <summary>Fields a person set: automatic triage leaves them alone from then on.</summary>
    public ManualTriageFields ManualFields { get; private set; }

    /// <summary>When a chat conversation ended (by either side); the ticket itself may live on.</summary>
    public DateTime? ChatEndedAt { get; private set; }

    public IReadOnlyList<TicketMessage> Messages => _messages;
    public IReadOnlyList<TicketHistoryEntry> History => _history;

    public bool IsOpen => TicketLifecycle.IsOpen(Status);

    /// <summary>Events recorded since the last commit; the host publishes and clears them.</summary>
    public IReadOnlyList<TicketEvent> PendingEvents => _events;

    public void ClearPendingEvents() => _events.Clear();

    public static Ticket Open(long number, NewTicket spec, Actor actor, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(spec.Subject))
            throw new TicketRuleException("subject_required", "A ticket needs a subject.");

        var ticket = new Ticket
        {
            Number = number,
            Subject = spec.Subject.Trim(),
            Type = spec.Type,
            Category = spec.Category,
            Priority = spec.Priority,
            Channel = spec.Channel,
            Status = TicketStatus.New,
            TeamId = spec.TeamId,
            QueueId = spec.QueueId,
            CustomerId = spec.CustomerId,
            Tags = NormaliseTags(spec.Tags),
            CreatedAt = now,
            UpdatedAt = now,
            FollowUpOfTicketId = spec.FollowUpOfTicketId,
            Language = spec.Language,
            Version = 1,
        };
        ticket._history.Add(new TicketHistoryEntry(actor, now, "created", null, TicketStatus.New.ToString()));
        ticket._events.Add(new TicketCreated(ticket));
        if (spec.FollowUpOfTicketId is { } original)
            ticket.AppendSystem(actor, now, "follow_up_of", null, original.ToString(), "Follow-up of an earlier ticket.");
        if (!string.IsNullOrWhiteSpace(spec.Description))
        {
            var author = actor.Kind == ActorKind.Customer ? actor : Actor.Customer(spec.CustomerId, "customer");
            ticket.Append(MessageKind.Customer, spec.Description, author, now, spec.ClientMessageId);
        }
        if (spec.AssigneeId is { } assignee)
            ticket.Assign(assignee, spec.TeamId, actor, now);
        return ticket;
    }

    /// <summary>What became of a customer's message.</summary>
    public enum CustomerMessageOutcome { Added, Reopened, FollowUpNeeded, GoesToMergeTarget }

    /// <summary>
    /// A customer wrote. Waiting on customer and Resolved go back to the agent; after feedback or
    /// archiving the caller must open a linked follow-up instead (nothing is added here).
    /// </summary>
    public CustomerMessageOutcome AddCustomerMessage(string body, Actor actor, DateTime now,
        string? clientMessageId, out TicketMessage? message, Attachment? attachment = null)
    {
        message = null;
        switch (Status)
        {
            case TicketStatus.Merged:
                return CustomerMessageOutcome.GoesToMergeTarget;
            case TicketStatus.FeedbackReceived or TicketStatus.Archived:
                return CustomerMessageOutcome.FollowUpNeeded;
        }

        message = Append(MessageKind.Customer, body, actor, now, clientMessageId, attachment);
        switch (Status)
        {
            case TicketStatus.WaitingOnCustomer:
                MoveTo(TicketStatus.Assigned, Actor.System, now, "customer replied");
                return CustomerMessageOutcome.Added;
            case TicketStatus.Resolved:
                ResolvedAt = null;
                MoveTo(AssigneeId is null ? TicketStatus.New : TicketStatus.Assigned, Actor.System, now, "customer replied");
                return CustomerMessageOutcome.Reopened;
            default:
                return CustomerMessageOutcome.Added;
        }
    }

    /// <summary>
    /// A customer-side message that must not move the ticket: mail no person wrote (an auto-reply,
    /// a bounce) or mail held back by the sender limit. It is kept on the timeline whatever the
    /// status, and reopens or answers nothing. Null for a merged ticket: the caller follows the link.
    /// </summary>
    public TicketMessage? AddQuietCustomerMessage(string body, Actor actor, DateTime now, string? clientMessageId)
    {
        if (Status == TicketStatus.Merged)
            return null;
        return Append(MessageKind.Customer, body, actor, now, clientMessageId);
    }

    /// <summary>An agent answers the customer. Answering an unassigned ticket takes it.</summary>
    public TicketMessage AddAgentReply(string body, Actor agent, Guid agentId, DateTime now, string? clientMessageId, Attachment? attachment = null)
    {
        EnsureWritable("reply to");
        if (Status is TicketStatus.FeedbackReceived)
            throw new TicketRuleException("ticket_closed", "Feedback was received on this ticket; open a follow-up to write to the customer again.");
        if (AssigneeId is null)
            Assign(agentId, TeamId, agent, now);
        return Append(MessageKind.Agent, body, agent, now, clientMessageId, attachment);
    }

    public TicketMessage AddInternalNote(string body, Actor agent, DateTime now, string? clientMessageId)
    {
        if (Status == TicketStatus.Merged)
            throw new TicketRuleException("ticket_merged", $"The ticket was merged into another ticket; write there.");
        return Append(MessageKind.InternalNote, body, agent, now, clientMessageId);
    }

    /// <summary>
    /// Sets the assignee and/or team. Giving an assignee to a New ticket makes it Assigned;
    /// removing the assignee of an Assigned ticket puts it back in the queue (New).
    /// </summary>
    public void Assign(Guid? assigneeId, int? teamId, Actor actor, DateTime now, int? queueId = null)
    {
        var (fromAssignee, fromTeam) = (AssigneeId, TeamId);
        EnsureWritable("assign");
        if (Status == TicketStatus.FeedbackReceived)
            throw new TicketRuleException("ticket_closed", "Feedback was received on this ticket; it can no longer be reassigned.");
        if (assigneeId == AssigneeId && teamId == TeamId && (queueId is null || queueId == QueueId))
            throw new TicketRuleException("no_change", "The ticket already has this assignee and team.");

        if (actor.Kind == ActorKind.Staff && (teamId != TeamId || (queueId is not null && queueId != QueueId)))
            ManualFields |= ManualTriageFields.Queue;
        if (teamId != TeamId)
        {
            Record(actor, now, "team", TeamId?.ToString(), teamId?.ToString());
            AppendSystem(actor, now, "team_changed", TeamId?.ToString(), teamId?.ToString(), $"Team changed to {teamId?.ToString() ?? "none"}.");
            TeamId = teamId;
            QueueId = queueId;
        }
        else if (queueId is not null && queueId != QueueId)
        {
            Record(actor, now, "queue", QueueId?.ToString(), queueId.ToString());
            QueueId = queueId;
        }
        if (assigneeId != AssigneeId)
        {
            Record(actor, now, "assignee", AssigneeId?.ToString(), assigneeId?.ToString());
            AppendSystem(actor, now, assigneeId is null ? "unassigned" : "assigned", AssigneeId?.ToString(), assigneeId?.ToString(),
                assigneeId is null ? "Assignee removed." : "Assigned.");
            AssigneeId = assigneeId;
            if (assigneeId is not null && Status == TicketStatus.New)
                MoveTo(TicketStatus.Assigned, actor, now, null);
            else if (assigneeId is null && Status is TicketStatus.Assigned or TicketStatus.WaitingOnCustomer)
                MoveTo(TicketStatus.New, actor, now, null);
        }
        _events.Add(new TicketAssigned(this, fromAssignee, AssigneeId, fromTeam, TeamId));
        Touch(now);
    }

    /// <summary>An explicit status change by staff, checked against the lifecycle.</summary>
    public void ChangeStatus(TicketStatus to, Actor actor, DateTime now, string? reason = null)
    {
        if (to == TicketStatus.Merged)
            throw new TicketRuleException("illegal_transition", "A ticket becomes Merged only by merging it into another ticket.");
        if (to == TicketStatus.New && Status != TicketStatus.New)
            throw new TicketRuleException("illegal_transition", "A ticket goes back to New only by removing its assignee.");
        if (to == TicketStatus.Assigned && AssigneeId is null && TicketLifecycle.Check(Status, to).Allowed)
            throw new TicketRuleException("assignee_required", "Choose an assignee: an Assigned ticket needs one.");
        MoveTo(to, actor, now, reason);
    }

    /// <summary>
    /// The customer answered the satisfaction survey. A resolved ticket moves to FeedbackReceived; a
    /// changed answer (the ticket already has feedback) is recorded in the history only. An unhappy
    /// answer (≤ 2 stars or not solved) also raises <see cref="LowSurveyScoreReceived"/>, once per survey
    /// (<paramref name="followUpExists"/>: an earlier answer of the same survey already raised it).
    /// </summary>
    public void RecordSurveyAnswer(long surveyId, int score, bool solved, bool changed, bool followUpExists, Actor customer, DateTime now)
    {
        if (Status is not (TicketStatus.Resolved or TicketStatus.FeedbackReceived))
            throw new TicketRuleException("survey_not_open", $"The ticket is {Status}; a survey is answered only after it was resolved.");
        if (score < Surveys.SurveyRules.MinScore || score > Surveys.SurveyRules.MaxScore)
            throw new TicketRuleException("score_out_of_range", "The score must be 1 to 5 stars.");
        var answer = $"{score}/5, solved: {(solved ? "yes" : "no")}";
        _history.Add(new TicketHistoryEntry(customer, now, "survey", null, answer, changed ? "survey answer changed" : "survey answered"));
        if (Status == TicketStatus.Resolved)
            MoveTo(TicketStatus.FeedbackReceived, customer, now, "survey answered");
        else
            Touch(now);
        _events.Add(new SurveyAnswered(this, surveyId, score, solved, changed));
        if (!followUpExists && Surveys.SurveyRules.NeedsFollowUp(score, solved))
            _events.Add(new LowSurveyScoreReceived(this, surveyId, score, solved));
    }

    /// <summary>
    /// Merges this duplicate into <paramref name="target"/>: its timeline (which must be loaded)
    /// moves over, appended after the target's own, and this ticket ends as Merged with a link.
    /// A message whose client id the target already holds (<paramref name="clientIdsOnTarget"/>:
    /// the same message reached both tickets) is not moved a second time; it stays here.
    /// </summary>
    public void MergeInto(Ticket target, Actor actor, DateTime now, IReadOnlySet<string>? clientIdsOnTarget = null)
    {
        if (ReferenceEquals(target, this) || target.Id == Id)
            throw new TicketRuleException("merge_into_self", "A ticket cannot be merged into itself.");
        if (target.Status is TicketStatus.Merged or TicketStatus.Archived)
            throw new TicketRuleException("merge_target_closed", $"Ticket {target.Number} is {target.Status}; choose an open ticket as the target.");
        var check = TicketLifecycle.Check(Status, TicketStatus.Merged);
        if (!check.Allowed)
            throw new TicketRuleException("illegal_transition", check.Reason!);
        if (LastSequence > 0 && _messages.Count != LastSequence)
            throw new InvalidOperationException("The timeline of the merged ticket must be loaded.");

        foreach (var message in _messages.Where(m => m.Kind != MessageKind.System)
                     .Where(m => m.ClientMessageId is null || clientIdsOnTarget?.Contains(m.ClientMessageId) != true)
                     .OrderBy(m => m.Sequence).ToList())
        {
            _messages.Remove(message);
            target.LastSequence++;
            message.Sequence = target.LastSequence;
            message.MergedFromTicketId = Id;
            target._messages.Add(message);
        }
        target.AppendSystem(actor, now, "merged_from", Number.ToString(), target.Number.ToString(), $"Ticket {Number} was merged into this ticket.");
        target.Record(actor, now, "merged_from", null, Number.ToString());
        foreach (var tag in Tags.Where(t => !target.Tags.Contains(t)))
            target.Tags.Add(tag);
        target.Touch(now);

        _events.Add(new TicketMerged(this, target));
        MergedIntoTicketId = target.Id;
        AppendSystem(actor, now, "merged_into", Number.ToString(), target.Number.ToString(), $"Merged into ticket {target.Number}.");
        MoveTo(TicketStatus.Merged, actor, now, null);
    }

    /// <summary>
    /// A side has read up to a sequence. Only moves forward, and is not a change of the ticket
    /// (no version bump), so a receipt never makes a concurrent reply fail.
    /// </summary>
    public bool MarkRead(ActorKind side, int sequence)
    {
        sequence = Math.Min(sequence, LastSequence);
        if (side == ActorKind.Customer && sequence > CustomerReadSequence) { CustomerReadSequence = sequence; return true; }
        if (side == ActorKind.Staff && sequence > StaffReadSequence) { StaffReadSequence = sequence; return true; }
        return false;
    }

    /// <summary>The chat conversation ends; an agent ending it also resolves the ticket.</summary>
    public void EndChat(Actor actor, DateTime now)
    {
        if (Channel != TicketChannel.Chat)
            throw new TicketRuleException("not_a_chat", "Only a chat conversation can be ended.");
        if (ChatEndedAt is not null)
            throw new TicketRuleException("chat_ended", "The conversation has already ended.");
        ChatEndedAt = now;
        AppendSystem(actor, now, "chat_ended", null, actor.Kind.ToString(), actor.Kind == ActorKind.Customer ? "The customer left the chat." : "The chat was ended.");
        Record(actor, now, "chat", "open", "ended");
        if (actor.Kind == ActorKind.Staff && Status is TicketStatus.Assigned or TicketStatus.WaitingOnCustomer)
            MoveTo(TicketStatus.Resolved, actor, now, "chat ended");
        Touch(now);
    }

    public void Retag(IReadOnlyList<string> tags, Actor actor, DateTime now)
    {
        EnsureWritable("retag");
        var next = NormaliseTags(tags);
        if (next.SequenceEqual(Tags)) return;
        Record(actor, now, "tags", string.Join(",", Tags), string.Join(",", next));
        Tags = next;
        Touch(now);
    }

    public void Reprioritise(TicketPriority priority, Actor actor, DateTime now)
    {
        EnsureWritable("change the priority of");
        if (actor.Kind == ActorKind.Staff) ManualFields |= ManualTriageFields.Priority;
        if (priority == Priority) return;
        Record(actor, now, "priority", Priority.ToString(), priority.ToString());
        _events.Add(new PriorityChanged(this, Priority, priority));
        Priority = priority;
        Touch(now);
    }

    /// <summary>
    /// Applies an automatic triage decision. Triage only ever raises: a ticket becomes a complaint
    /// (never stops being one), gets a category when it had none, a higher priority, the
    /// complaint queue, immediate handling. A field a person set (<see cref="ManualFields"/>) is
    /// left alone, so an agent's correction wins over every later automatic triage. Returns the
    /// fields it changed (none: nothing recorded, no version bump).
    /// </summary>
    public IReadOnlyList<string> ApplyTriage(TriageDecision d, DateTime now)
    {
        if (!IsOpen) return [];
        var changed = new List<string>();
        var actor = new Actor(ActorKind.System, null, "triage");
        string Why(string? rule) => rule is null ? $"triage (rules v{d.RuleSetVersion})" : $"triage rule {rule} (rules v{d.RuleSetVersion})";

        if (!ManualFields.HasFlag(ManualTriageFields.Type) && Rank(d.Type) > Rank(Type))
        {
            _history.Add(new TicketHistoryEntry(actor, now, "type", Type.ToString(), d.Type.ToString(), Why(d.TypeRule)));
            Type = d.Type;
            changed.Add("type");
        }
        if (!ManualFields.HasFlag(ManualTriageFields.Category) && Category == AfterSalesCategory.None && d.Category != AfterSalesCategory.None)
        {
            _history.Add(new TicketHistoryEntry(actor, now, "category", Category.ToString(), d.Category.ToString(), Why(d.CategoryRule)));
            Category = d.Category;
            changed.Add("category");
        }
        if (!ManualFields.HasFlag(ManualTriageFields.Priority) && d.Priority > Priority)
        {
            _history.Add(new TicketHistoryEntry(actor, now, "priority", Priority.ToString(), d.Priority.ToString(), Why(d.PriorityRule) + $", severity {d.Severity}"));
            Priority = d.Priority;
            changed.Add("priority");
        }
        if (!ManualFields.HasFlag(ManualTriageFields.Queue) && d.QueueId is { } queue && queue != QueueId && (Type == TicketType.Complaint || d.QueueFromRule))
        {
            _history.Add(new TicketHistoryEntry(actor, now, "queue", QueueId?.ToString(), queue.ToString(), Why(d.QueueRule)));
            QueueId = queue;
            changed.Add("queue");
        }
        if (Type == TicketType.Complaint && d.Handling is { } mode && (HandlingMode is null || mode > HandlingMode))
        {
            _history.Add(new TicketHistoryEntry(actor, now, "handling", HandlingMode?.ToString(), mode.ToString(), Why(null)));
            HandlingMode = mode;
            changed.Add("handling");
        }
        var raised = d.Flags & ~TriageFlags;
        if (raised != TriageFlags.None)
        {
            _history.Add(new TicketHistoryEntry(actor, now, "flags", TriageFlags.ToString(), (TriageFlags | raised).ToString(), Why(d.FlagRules.FirstOrDefault())));
            TriageFlags |= raised;
            changed.Add("flags");
            _events.Add(new TriageFlagRaised(this, raised, TriageFlags, d.RuleSetVersion, d.FlagRules));
        }
        if (changed.Count == 0) return changed;

        // No timeline entry: the timeline is the conversation (the chat panel shows it); the
        // history holds each change with its rule, and the triage panel the whole explanation.
        _events.Add(new TicketTriaged(this, d.RuleSetVersion, changed));
        Touch(now);
        return changed;

        static int Rank(TicketType t) => t switch { TicketType.Complaint => 2, TicketType.Suggestion => 1, _ => 0 };
    }

    /// <summary>
    /// An agent corrects what triage decided. The corrected fields become the agent's: later
    /// automatic triage never changes them again.
    /// </summary>
    public void CorrectTriage(TicketType? type, AfterSalesCategory? category, TicketPriority? priority, int? queueId, Actor staff, DateTime now)
    {
        EnsureWritable("correct");
        if (staff.Kind != ActorKind.Staff)
            throw new TicketRuleException("staff_only", "Only staff correct a triage result.");
        const string why = "triage correction";
        if (type is { } t)
        {
            ManualFields |= ManualTriageFields.Type;
            if (t != Type) { _history.Add(new TicketHistoryEntry(staff, now, "type", Type.ToString(), t.ToString(), why)); Type = t; }
            if (t != TicketType.Complaint) HandlingMode = null;
        }
        if (category is { } c)
        {
            ManualFields |= ManualTriageFields.Category;
            if (c != Category) { _history.Add(new TicketHistoryEntry(staff, now, "category", Category.ToString(), c.ToString(), why)); Category = c; }
        }
        if (priority is { } p)
        {
            ManualFields |= ManualTriageFields.Priority;
            if (p != Priority) { _history.Add(new TicketHistoryEntry(staff, now, "priority", Priority.ToString(), p.ToString(), why)); Priority = p; }
        }
        if (queueId is { } q && q != QueueId)
        {
            _history.Add(new TicketHistoryEntry(staff, now, "queue", QueueId?.ToString(), q.ToString(), why));
            QueueId = q;
        }
        AppendSystem(staff, now, "triage_corrected", null, $"{Type}|{Category}|{Priority}", $"Triage corrected: {Type}, {Category}, priority {Priority}.");
        Touch(now);
    }

    /// <summary>
    /// An escalation or de-escalation on the timeline (issue 6): the levels in EventFrom/EventTo and
    /// the reason code in EventReason, so each console words it in its own language; the detail (the
    /// customer's phrase, a survey score) in the body. The SLA feature decides; the ticket records.
    public TicketMessage RecordEscalation(EscalationEventKind kind, EscalationLevel from, EscalationLevel to,
        string reason, string? detail, DateTime now)
    {
        if (Status == TicketStatus.Merged)
            throw new TicketRuleException("ticket_merged", "A merged ticket is not escalated; its target is.");
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var code = kind switch
        {
            EscalationEventKind.Escalated => "escalated",
            EscalationEventKind.Noted => "escalation_noted",
            _ => "deescalated",
        };
        var text = kind switch
        {
            EscalationEventKind.Escalated => $"Escalated from level {(int)from} to level {(int)to} ({reason}).",
            EscalationEventKind.Noted => $"Escalation reason noted at level {(int)to} ({reason}).",
            _ => $"Escalation cleared ({reason}).",
        };
        if (!string.IsNullOrWhiteSpace(detail)) text += " " + detail.Trim();
        if (text.Length > TicketLimits.BodyMax) text = text[..TicketLimits.BodyMax];
        LastSequence++;
        var message = new TicketMessage(LastSequence, MessageKind.System, text, Actor.System, now, null, code,
            ((int)from).ToString(), ((int)to).ToString()) { EventReason = reason.Length <= 64 ? reason : reason[..64] };
        _messages.Add(message);
        Record(Actor.System, now, "escalation", ((int)from).ToString(), ((int)to).ToString());
        _events.Add(new MessageAdded(this, message));
        _events.Add(kind == EscalationEventKind.Deescalated
            ? new Deescalated(this, from, reason, detail)
            : new Escalated(this, from, to, reason, detail));
        return message;
    }

    /// <summary>
    /// A supervisor acknowledged the escalation (issue 10): seen and owned, not cleared — clearing
    /// stays the SLA feature's. A staff-only entry on the timeline (the level in EventTo) and in the history.
    /// </summary>
    public TicketMessage AcknowledgeEscalation(int level, Actor supervisor, DateTime now)
    {
        if (Status == TicketStatus.Merged)
            throw new TicketRuleException("ticket_merged", "A merged ticket is not escalated; its target is.");
        if (supervisor.Kind != ActorKind.Staff)
            throw new TicketRuleException("staff_only", "Only staff acknowledge an escalation.");
        AppendSystem(supervisor, now, "escalation_acknowledged", null, level.ToString(),
            $"Escalation at level {level} acknowledged by {supervisor.Name}.");
        Record(supervisor, now, "escalation_acknowledged", null, level.ToString());
        Touch(now);
        return _messages[^1];
    }

    private void MoveTo(TicketStatus to, Actor actor, DateTime now, string? reason)
    {
        var check = TicketLifecycle.Check(Status, to);
        if (!check.Allowed)
            throw new TicketRuleException("illegal_transition", check.Reason!);
        var from = Status;
        Status = to;
        if (to == TicketStatus.Resolved) ResolvedAt = now;
        Record(actor, now, "status", from.ToString(), to.ToString());
        _events.Add(new StatusChanged(this, from, to));
        AppendSystem(actor, now, "status_changed", from.ToString(), to.ToString(),
            reason is null ? $"Status {from} → {to}." : $"Status {from} → {to} ({reason}).");
        Touch(now);
    }

    private void EnsureWritable(string what)
    {
        if (Status == TicketStatus.Merged)
            throw new TicketRuleException("ticket_merged", $"Cannot {what} a merged ticket; use ticket it was merged into.");
        if (Status == TicketStatus.Archived)
            throw new TicketRuleException("ticket_archived", $"Cannot {what} an archived ticket; a new contact opens a follow-up.");
    }

    private TicketMessage Append(MessageKind kind, string body, Actor author, DateTime now, string? clientMessageId, Attachment? attachment = null)
    {
        if (string.IsNullOrWhiteSpace(body) && attachment is null)
            throw new TicketRuleException("body_required", "A message needs text.");
        LastSequence++;
        var message = new TicketMessage(LastSequence, kind, body ?? "", author, now, clientMessageId);
        if (attachment is not null)
        {
            message.AttachmentId = attachment.Id;
            message.AttachmentName = attachment.FileName;
            message.AttachmentType = attachment.ContentType;
            message.AttachmentSize = attachment.Size;
        }
        _messages.Add(message);
        _events.Add(new MessageAdded(this, message));
        Touch(now);
        return message;
    }

    private void AppendSystem(Actor actor, DateTime now, string code, string? from, string? to, string text)
    {
        LastSequence++;
        var message = new TicketMessage(LastSequence, MessageKind.System, text, actor, now, null, code, from, to);
        _messages.Add(message);
        _events.Add(new MessageAdded(this, message));
    }

    private void Record(Actor actor, DateTime now, string field, string? from, string? to) =>
        _history.Add(new TicketHistoryEntry(actor, now, field, from, to));

    private void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }

    private static List<string> NormaliseTags(IReadOnlyList<string>? tags) =>
        tags is null ? [] : tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
