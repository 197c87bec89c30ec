namespace Helpdesk.Core.Tickets;

/// <summary>Sizes the API validates before the rules run, shared with the storage mapping.</summary>
public static class TicketLimits
{
    public const int SubjectMax = 200;
    public const int BodyMax = 20_000;
    public const int TagMax = 40;
    public const int TagsMax = 20;
    public const int ClientMessageIdMax = 64;
    public const long FirstNumber = 100_001;
}
