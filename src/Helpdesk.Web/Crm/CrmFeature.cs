namespace Helpdesk.Web.Crm;

/// <summary>Customer records (issue 9 grows this into the CRM API).</summary>
public static class CrmFeature
{
    public static void MapCrm(this WebApplication app) => app.MapCustomersApi();
}
