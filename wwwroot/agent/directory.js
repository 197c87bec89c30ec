// Who and what a ticket can point at: teams (with queues) and active staff. The API hands out
// ids; the console shows names, each team in the page's language.
import { get } from '/shared/api.js';
import { language, t } from '/shared/i18n.js';

export async function loadDirectory() {
  const [teams, staff] = await Promise.all([get('/api/teams'), get('/api/staff')]);
  return new Directory(teams, staff);
}

export class Directory {
  constructor(teams = [], staff = []) {
    this.teams = teams;
    this.staff = staff;
    this.teamsById = new Map(teams.map(team => [String(team.id), team]));
    this.queuesById = new Map(teams.flatMap(team => team.queues.map(queue => [String(queue.id), queue])));
    this.staffById = new Map(staff.map(member => [String(member.id).toLowerCase(), member]));
  }

  localName(item) {
    return language() === 'zh-CN' ? (item.nameZh || item.name) : (item.name || item.nameZh);
  }

  teamName(id) {
    if (id === null || id === undefined || id === '') return null;
    const team = this.teamsById.get(String(id));
    return team ? this.localName(team) : null;
  }

  queueName(id) {
    if (id === null || id === undefined || id === '') return null;
    const queue = this.queuesById.get(String(id));
    return queue ? this.localName(queue) : null;
  }

  /** Disabled staff are not in the directory; the ticket still names them (assigneeName). */
  staffName(id) {
    if (!id) return null;
    return this.staffById.get(String(id).toLowerCase())?.displayName ?? null;
  }

  /** "张伟 Zhang Wei · 售后", so an agent picks a colleague by team too. */
  staffLabel(member) {
    const teams = member.teamIds.map(id => this.teamName(id)).filter(Boolean);
    return teams.length ? `${member.displayName} · ${teams.join(', ')}` : member.displayName;
  }

  /** Lookups for describeEvent() and the history table. */
  lookups(extra = {}) {
    return {
      staffName: id => this.staffName(id),
      teamName: id => this.teamName(id),
      queueName: id => this.queueName(id),
      none: t('common.none'),
      ...extra,
    };
  }
}
