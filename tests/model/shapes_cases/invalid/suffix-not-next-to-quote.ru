# A suffix that does not follow the quote.
# expect: ekgsh:SourceDocument-quoteContext
# message: not the text right next
# severity: Violation
DELETE { ?q oa:suffix ?s } INSERT { ?q oa:suffix ", 4 March" } WHERE { ?q oa:exact "GENEVA" ; oa:suffix ?s }
