// Command and code-action identifiers shared by the extension and its tests.
export const COMMANDS = {
  restartServer: 'mindport.restartServer',
  showOutput: 'mindport.showOutput',
  fixAllInFile: 'mindport.fixAllInFile',
  showMigrationSummary: 'mindport.showMigrationSummary',
  /** Opens an API's full knowledge card beside the editor (the hover's "Full card" link). */
  showCard: 'mindport.showCard',
} as const;

/** The server-side command that renders the full card (workspace/executeCommand). */
export const SERVER_CARD_COMMAND = 'mindport.card';

/** The server's notification that a document version's analysis is final. */
export const ANALYSED_NOTIFICATION = 'mindport/analysed';

/** The server-side command behind showMigrationSummary (workspace/executeCommand). */
export const SERVER_SUMMARY_COMMAND = 'mindport.migrationSummary';

/** The code-action kind of the server's fix-all. */
export const FIX_ALL_KIND = 'source.fixAll.mindport';

/** Context key set once the extension is active (gates the command palette entries). */
export const ACTIVATED_CONTEXT = 'mindport.activated';
