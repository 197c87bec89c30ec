using Helpdesk.Web;
using Helpdesk.Web.Data;

var app = HelpdeskApp.Build(HelpdeskApp.CreateBuilder(args));
await app.PrepareDatabaseAsync();
app.Run();
