"""Every write of the boards layer, one module per area (HackSoft style: import the function from its module).

accounts   board accounts: settings as the adapter declares them, secrets encrypted, "needs attention"
postings   what the recruiter does: save a draft, send (create or update), ask for a status read or a close
delivery   what the worker does: one call per attempt, claimed under a lock, settled with the outcome, retried
inbound    events from boards: stored raw with their task, processed once, retried, failed with a reason
events     what each kind of inbound event does (an application applied, a withdrawal, a job's new status)
polling    asking boards for what they did not send (status changes, applications whose webhook never came)
listing    the recruiter's check that a board lists a job in its search
feeds      what the recruiter does on a bulk board: include a vacancy in the feed, update it, take it out
imports    bulk boards' syncs: debounced, one import in flight per account, sent with retries, results mapped back
           by index and reference, the callback accepted once, polling when no callback comes, the nightly sync
upkeep     the repeating schedule that resumes lost work
demo       the demo accounts on the sandbox boards
"""
