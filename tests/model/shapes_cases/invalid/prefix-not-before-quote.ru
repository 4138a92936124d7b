# A prefix that does not precede the quote.
# expect: ekgsh:SourceDocument-quoteContext
# message: not the text right next
# severity: Violation
DELETE { ?q oa:prefix ?s } INSERT { ?q oa:prefix "LONDON, 3 March 2021- " } WHERE { ?q oa:exact "The Example Commission on Rights (ECR) convened the" ; oa:prefix ?s }
