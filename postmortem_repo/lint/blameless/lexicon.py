"""The language of the blameless rules: the words and phrases that blame, the words that
tell who a clause's subject is, and the words that let a detector skip a sentence.

The detectors (detectors.py) and the subject finder (subjects.py) read these; nothing here
does any reading itself. Each pattern with `needs` is only run over sentences holding one
of those words (scan.find_in_spans), so a pattern edited here must keep every match
holding one (tests/test_blame_prefilter.py checks it).
"""

from __future__ import annotations

import re

from postmortem_repo.lint.blameless.scan import LazyPattern
from postmortem_repo.model.people import word_set

COUNTERFACTUAL, INDIVIDUAL, JUDGEMENT, HUMAN_ERROR = "PM401", "PM402", "PM403", "PM404"
PERSON_TARGETED = "PM405"


# --- subjects ---------------------------------------------------------------------------

# A word, a name or a handle ("O'Brien", "@jdoe", "on-call"); and what ends a clause.
TOKEN = LazyPattern(r"[@\w][\w'\u2019.\-@]*\w|[@\w]")
# A dot after a title or an initial ("Mr. J. Whitfield") ends neither a sentence nor a clause.
TITLES = ("Mr", "Ms", "Mrs", "Mx", "Dr")
NOT_AFTER_TITLE = "".join(rf"(?<!\b{title})" for title in TITLES) + r"(?<!\b[A-Z])"
CLAUSE_BREAK = LazyPattern(
    r"(?:[!?;:]|" + NOT_AFTER_TITLE + r"\.)(?=\s|$)|[,()\[\]\u2014\u2013]|\s-\s|\n\s*\n"
)
DETERMINERS = word_set(
    "the a an this that these those our their its his her my your every each no any some"
)
ADVERBS = word_set(
    """also just simply then again apparently accidentally mistakenly inadvertently clearly
    obviously probably later still initially once somehow evidently reportedly even never
    already eventually subsequently unfortunately"""
)
HUMAN_PRONOUNS = word_set("i we he she someone somebody")
ROLE_NOUNS = word_set(
    """engineer engineers oncall on-call on-caller on-callers operator operators developer
    developers dev devs dba dbas sre sres admin admins administrator administrators reviewer
    reviewers responder responders commander intern interns hire hires contractor
    contractors employee employees staff analyst analysts team teams person people human
    humans technician technicians approver approvers deployer deployers author authors
    lead manager managers ops oncaller programmer programmers coder coders tester testers
    ic crew crews maintainer maintainers supervisor supervisors qa guy guys individual
    individuals colleague colleagues subcontractor subcontractors desk shift folks ppl newbie
    rookie contributor contributors captain captains requester requesters tech techs
    trainee trainees apprentice apprentices
    implementer implementers joinee joinees fresher freshers assignee assignees submitter
    submitters releaser releasers coordinator coordinators dispatcher dispatchers owner
    owners architect architects researcher researchers officer officers mod mods moderator
    moderators leadership helpdesk director directors specialist specialists
    postdoc postdocs sysadmin sysadmins leader leaders founder founders member members
    designer designers freelancer freelancers consultant consultants cto ceo cio ciso cfo
    coo eng engs squad squads personnel nurse nurses registrar registrars clinician clinicians
    pharmacist pharmacists physician physicians scientist scientists informaticist
    informaticists"""
)
# Nouns that name a person only after one of their words: 'the support agent', 'a staff
# member' (but 'the monitoring agent', 'an etcd member').
_AGENT_OF = word_set("support desk helpdesk customer sales call centre center service-desk")
_MEMBER_OF = word_set("team staff support crew ops committee board on-call oncall family")
# 'the duty controller', 'ops controller' (but 'the ingress controller'); 'the checker' of a
# maker-checker pair (but 'the contract checker').
_CONTROLLER_OF = word_set("duty ops operations traffic flight shift movement movements air")
_CHECKER_OF = word_set("the a an our their his her payment payments release")
PERSON_AFTER = {
    "agent": _AGENT_OF,
    "agents": _AGENT_OF,
    "member": _MEMBER_OF,
    "members": _MEMBER_OF,
    "controller": _CONTROLLER_OF,
    "controllers": _CONTROLLER_OF,
    "checker": _CHECKER_OF,
    "checkers": _CHECKER_OF,
}
# Roles that name a group, not one person: 'people', 'staff'.
GROUP_NOUNS = word_set("people staff folks crew ppl personnel leadership")
PREPOSITIONS = word_set("to for with from of by about into onto on at in than like via per against")
NOT_ROLE_BEFORE = word_set("service system bot script job pipeline tool")


# --- PM402: a person as the cause ----------------------------------------------------------

# PM402's predicates in the order they are tried, by the group they report. Each is a
# literal phrase or (the words it can begin with, its pattern[, words one of which every
# phrase it matches holds]); "*" begins with any word ending in -ed or -ing. At a word
# only the predicates it can begin and whose words the sentence holds are compiled and
# tried (see predicates.py): one pattern of them all takes longer to compile than most files
# take to check.
Predicates = tuple[str | tuple[str, str] | tuple[str, str, str], ...]

# Verbs only people do: an unknown capitalised subject ("Oluwaseun forgot") is a person.
HUMAN_ONLY: Predicates = (
    "forgot",
    "forgets",
    "forgetting",
    "had forgotten",
    "has forgotten",
    "neglected",
    "neglects",
    "overlooked",
    ("skimmed skims", r"(?:skimmed|skims)\b"),
    ("slept sleeps", r"(?:slept|sleeps)\s+through", "through"),
    (
        "is are was were had got seemed appeared being",
        r"(?:is|are|was|were|had been|got|seemed|appeared|being)\s+(?:to\s+be\s+)?(?:(?:too|very"
        r"|so|simply|just|pretty|really|half|\w+ly)\s+){0,2}(?:tired|reckless|incompetent|irresponsible|clueless"
        r"|exhausted|fatigued|distracted|asleep|sleepy|drowsy|careless|sloppy|rushing|rushed"
        r"|inattentive|hungover|unfocused|not paying attention|not careful|not focused"
        r"|in a hurry|in a rush|impatient|unaware|not aware|negligent|lazy|groggy|rattled|hopeless"
        r"|confused"
        r"|burnt out|burned out|not thinking clearly"
        r"|not attentive|not rigorous|not diligent|not thorough)",
        """tired reckless incompetent irresponsible clueless exhausted fatigued distracted
        asleep sleepy drowsy careless sloppy rush inattentive hungover focused attention
        careful hurry impatient aware negligent lazy groggy rattled hopeless attentive rigorous
        confused burnt burned thinking
        diligent thorough""",
    ),
    (
        "did didn never failed forgot neglected",
        r"(?:did not|didn't|didn\u2019t|never|failed to|forgot to|neglected to)\s+(?:even\s+)?"
        r"(?:know|understand|realise|realize|notice|bother|think|pay attention|care|read"
        r"|double-check|remember|consider|anticipate)",
        """know understand realise realize notice bother think attention care read check
        remember consider anticipate""",
    ),
    (
        "* ran hit chose took put set",
        # 'ran the script on the wrong host', 'posted the notes to the wrong board'
        r"(?:[a-z]+(?:ed|ing)|ran|hit|chose|took|put|set)\s+(?:[\w'-]+\s+){0,4}?"
        r"(?:(?:on|to|in|into|from|at|against|for)\s+)?(?:the|a|an)\s+(?:wrong|incorrect|mistaken)",
        "wrong incorrect mistaken",
    ),
    (
        "* ran hit took put set sent wrote",
        # 'ran the migration on prod instead of staging', 'keyed 1.25 instead of 1.025'
        r"(?:[a-z]+ed|ran|hit|took|put|set|sent|wrote)\s+(?:[\w'.,%-]+\s+){1,5}?instead\s+of\b",
        "instead",
    ),
    "mistyped",
    "mistypes",
    ("fat", r"fat[- ]fingered"),
    "misread",
    "misreads",
    "misjudged",
    "misjudges",
    "mishandled",
    "mishandles",
    "overlooks",
    "misconfigured",
    "misremembered",
    "botched",
    "botches",
    "bungled",
    "fumbled",
    "fumbles",
    "goofed",
    "messed up",
    "screwed up",
    "slipped up",
    "blundered",
    (
        "made makes make do does did",
        r"(?:made|makes|make|do|does|did)\s+(?:(?:a|an|the|another|two|several|one)\s+"
        r"(?:\w+\s+)?(?:mistake|mistakes|error|errors|typo|typos|slip|blunder|bad call|wrong call"
        r"|oversight)|(?:mistake|error|typo|blunder)\b(?!s))",
        "mistake error typo slip blunder call oversight",
    ),
    (
        "accidentally mistakenly inadvertently unintentionally wrongly erroneously carelessly",
        r"(?:accidentally|mistakenly|inadvertently|unintentionally|wrongly|erroneously"
        r"|carelessly)\s+\w+",
    ),
    ("dropped drops dropping drop", r"(?:dropped|drops|dropping|drop)\s+the\s+ball", "ball"),
    (
        "could would did couldn wouldn didn",
        r"(?:could|would|did)(?: not|n't|n\u2019t)? be bothered",
        "bothered",
    ),
)
# What people do to a process: a name that is also a word counts here (Grant didn't follow).
PROCESS: Predicates = (
    (
        "did didn never failed does doesn fails",
        r"(?:did not|didn't|didn\u2019t|never|failed to|does not|doesn't|doesn\u2019t|fails to)\s+"
        r"(?:follow|read|escalate|wait|review"
        r"|verify|test|check|double-check|ask|tell|notify|inform|communicate|consult|confirm)",
        """follow read escalate wait review verify test check ask tell notify inform
        communicate consult confirm""",
    ),
    (
        "pushed deployed merged shipped committed applied released rolled approved ran wrote",
        r"(?:pushed|deployed|merged|shipped|committed|applied|released|rolled out|approved"
        r"|ran|wrote)\s+(?:a|an|the|their|his|her|some)\s+(?:\w+\s+)?(?:bad|broken|faulty|buggy"
        r"|untested|unreviewed|wrong|incorrect|invalid|malformed|half-finished)",
        "bad broken faulty buggy untested unreviewed wrong incorrect invalid malformed half",
    ),
    (
        """ran re applied executed deployed pushed pointed targeted sent copied pasted
        configured restored promoted deleted dropped""",
        r"(?:ran|re-ran|applied|executed|deployed|pushed|pointed|targeted|sent|copied|pasted"
        r"|configured|restored|promoted|deleted|dropped)\s+(?:[\w.-]+\s+){0,8}?(?:(?:against|to"
        r"|on|in|into|from|at)\s+(?:the\s+)?wrong|instead of)",
        "wrong instead",
    ),
    "ignored",
    "ignores",
    "bypassed",
    "bypasses",
    "circumvented",
    "disregarded",
    "disregards",
    "dismissed",
    "snoozed",
    "snoozes",
    "overrode",
    (
        "is was are were",
        r"(?:is|was|are|were)\s+(?:solely\s+|partly\s+|entirely\s+|largely\s+)?(?:to blame"
        r"|at fault)",
        "blame fault",
    ),
)
INABILITY = (
    r"(?:rec(?:ei|ie|e)ve|get|have|hear|need|exist|own|happen|occur|work|matter|apply|see any"
    r"|learn|expect|want|like|find|mean|intend|seem"
    # What clears someone or promises something, not an omission: "he did not access the
    # system", "the admin did not perform the suspension", "we never expose personal data".
    r"|access|perform|suspend|expose|share|sell|store|touch|authori[sz]e|initiate"
    # A fault not done is care taken: "@marco.b didn't skip it", "her change did not cause".
    r"|skip|ignore|bypass|miss|forget|break|cause|introduce|hesitate|panic|rush)"
)
# What 'failed to' is no omission before: what one cannot do ('failed to receive the page',
# 'failed to reach the host'). An act one failed to perform is one ('failed to apply the
# patch'), unlike one that was not performed ('did not perform the suspension').
FAILED_INABILITY = (
    r"(?:rec(?:ei|ie|e)ve|get|hear|exist|happen|occur|work|matter|see any|learn|find|seem"
    r"|access|reach|connect|log ?in|authenticate)"
)
IRREGULAR_PAST = (
    r"(?:ran|made|did|took|saw|got|went|told|sent|wrote|knew|thought|left|kept|gave|came"
    r"|found|brought|caught|heard|held|built|understood|began|broke|chose|forgot|spoke)\b"
)
CORE_HUMAN = LazyPattern(
    r"forg|neglect|overlook|botch|bungl|fumbl|(?:was|were|had been|got|seemed|appeared)\s"
    r"|(?:did not|didn't|didn\u2019t|never|failed to|forgot to|neglected to)\s|clicked|pressed"
    r"|typed|fat|made",
    re.IGNORECASE,
)
# Verbs systems also do: the subject must be a known person, a name, a role or a pronoun.
AMBIGUOUS: Predicates = (
    (
        "failed",
        r"failed to\s+(?!" + FAILED_INABILITY + r"\b)\w+",
    ),
    ("missed misses had has", r"(?:missed|misses|had missed|has missed)\b"),
    # Sitting on what needed an answer, waving off a warning: 'sat on the page for ten
    # minutes', 'brushes off Leilani's warning', 'skimmed the diff and waved it through'.
    (
        "sat sits",
        r"(?:sat|sits)\s+on\s+(?:the|a|an|his|her|their|that|this|my|our)\s+(?:[\w-]+\s+)?"
        r"(?:page|pages|alert|alerts|report|ticket|tickets|revert|fix|pr|review|request|bug"
        r"|escalation)\b",
        "page pages alert alerts report ticket tickets revert fix pr review request bug escalation",
    ),
    (
        "brushed brushes waved waves",
        r"(?:brushed|brushes|waved|waves)\s+(?:off\s+|away\s+)?(?:[\w'\u2019-]+\s+){0,2}?"
        r"(?:warning|warnings|concern|concerns|alert|alerts|objection|objections|through)\b",
        "warning warnings concern concerns alert alerts objection objections through",
    ),
    # What destroys or exposes: 'an engineer leaked a production key', 'Sam wiped the disk'.
    (
        "leaked wiped nuked destroyed clobbered trashed exposed corrupted",
        r"(?:leaked|wiped|nuked|destroyed|clobbered|trashed|exposed|corrupted)\s+(?:the|a|an|our"
        r"|their|his|her|all|every|prod|production)\b",
    ),
    # What was broken when it left someone's hands: 'the frontend team shipped a broken
    # bundle', 'somebody had broken the DNS delegation'.
    (
        "shipped ships pushed pushes deployed deploys released",
        r"(?:shipped|ships|pushed|pushes|deployed|deploys|released)\s+(?:a\s+|an\s+|the\s+)?"
        r"(?:broken|buggy|faulty|untested)\b",
        "broken buggy faulty untested",
    ),
    ("had has", r"(?:had|has)\s+broken\s+(?:the|a|an|our|their|prod|production)\b", "broken"),
    (
        "has have hasn haven",
        # 'Teams still haven't adopted our recommendations': what people have not done; not
        # yet done is a plan's status.
        r"(?:hasn't|haven't|hasn\u2019t|haven\u2019t|has not|have not)\s+(?:even\s+|still\s+)?"
        r"(?:adopted|implemented|fixed|followed|read|reviewed|updated|acted|responded|replied"
        r"|acknowledged|escalated|prioriti[sz]ed|addressed|completed|done|renewed|rotated"
        r"|reverted)\b(?![^.;!?]{0,80}\byet\b)",
        """adopted implemented fixed followed read reviewed updated acted responded replied
        acknowledged escalated prioritised prioritized addressed completed done renewed
        rotated reverted""",
    ),
    (
        "did didn never",
        # 'never' with a past tense is an omission ('never checked'); with a present one it
        # is a habit or a promise ('we never run manual SQL on prod', 'never again').
        r"(?:did not|didn't|didn\u2019t|did n't|never(?=\s+(?:\w+ed\b|" + IRREGULAR_PAST + r")))"
        r"\s+(?!" + INABILITY + r"\b)\w+",
    ),
    (
        "fails",
        r"fails to\s+(?!" + FAILED_INABILITY + r"\b)\w+",
    ),
    "skipped",
    "skips",
    ("broke breaks", r"(?:broke|breaks)\b"),
    (
        "let lets allowed",
        # "The Network Team let the certificate expire": what lapsed in someone's keeping.
        r"(?:let|lets|allowed)\s+(?:(?:the|a|an|our|their|its|his|her)\s+)?(?:[\w-]+\s+){0,4}?"
        r"(?:to\s+)?(?:expire|lapse|slip|go\s+stale)\b",
        "expire lapse slip stale",
    ),
    ("caused", r"caused\b"),
    (
        "is was are were",
        r"(?:is|was|are|were)\s+(?:solely\s+|fully\s+|directly\s+)?responsible"
        r"(?=\s*(?:[.,;:!?]|$|for\s+(?:the|this)\s+(?:outage|incident|failure|mistake|error"
        r"|breakage|data loss|downtime|problem)))",
        "responsible",
    ),
    (
        "introduced",
        r"introduced\s+(?:a|an|the)\s+(?:(?:\w+\s+)?(?:bug|regression|defect|typo|error|mistake)"
        r"|(?:erroneous|faulty|broken|buggy|incorrect)\b)",
        "bug regression defect typo error mistake erroneous faulty broken buggy incorrect",
    ),
    (
        """deleted dropped removed truncated wiped overwrote killed terminated rebooted
        restarted shut scaled""",
        r"(?:deleted|dropped|removed|truncated|wiped|overwrote|killed|terminated|rebooted"
        r"|restarted|shut down|scaled down)\s+(?:the\s+)?(?:wrong|production|prod|live|primary)",
        "wrong prod live primary",
    ),
    ("took", r"took\s+(?:[\w'-]+\s+){0,3}?down"),
    ("takes", r"takes\s+(?:[\w'-]+\s+){0,3}?down"),
    "brought down",
    ("made makes", r"(?:made|makes)\s+(?:it|things|this|everything|the\s+\w+)\s+worse"),
)
# In Root Cause Analysis a person named as the doer of the change is the cause.
CAUSAL_ACTION = (
    r"deployed|pushed|merged|ran|changed|modified|edited|updated|applied|removed|deleted"
    r"|enabled|disabled|approved|committed|wrote|set|configured|restarted|triggered|started"
    r"|executed|rolled|shipped|introduced|added|turned|switched|released|created|scaled"
    r"|migrated|upgraded|rotated|revoked|reverted|authored|decided|chose|dropped|pasted"
    r"|copied|typed|entered|selected|clicked|edited|pointed|targeted|promoted|drained|picked"
    r"|resized|killed|elected|opted|bumped|flipped|toggled|lowered|raised|reduced|increased"
    r"|renamed|replaced|swapped|reweighted|commented|patched|tweaked|overrode|overwrote"
)
# What a role did that can be the cause; restarts and rollbacks are usually the fix.
ROLE_ACTION = LazyPattern(
    r"deployed|pushed|merged|changed|modified|edited|applied|removed|deleted|disabled"
    r"|approved|committed|configured|triggered|executed|shipped|introduced|promoted|pointed"
    r"|targeted|drained|dropped|pasted|typed|selected|clicked|picked|resized|killed",
    re.IGNORECASE,
)

# Every word a predicate can start with (besides any word ending in -ed or -ing).
FIRST_WORDS = word_set(
    """forgot forgets forgetting had has neglected neglects overlooked is are was were got
    seemed appeared being did didn never failed ran hit chose took put set mistyped fat
    misread misjudged mishandled misconfigured misremembered botched bungled fumbled goofed
    messed screwed slipped blundered made makes make accidentally mistakenly inadvertently
    unintentionally wrongly erroneously carelessly dropped could would pushed deployed merged
    shipped committed applied released rolled approved wrote re executed pointed targeted
    sent copied pasted configured restored promoted deleted ignored bypassed circumvented
    disregarded dismissed snoozed overrode missed misses skipped broke caused introduced
    removed truncated wiped overwrote killed terminated rebooted restarted shut scaled
    brought couldn wouldn hasn haven mistypes misreads misjudges mishandles overlooks botches
    fumbles does doesn fails ignores bypasses disregards snoozes skips breaks takes let lets
    allowed slept sleeps leaked nuked destroyed clobbered trashed sat sits brushed brushes
    waved waves drops dropping drop exposed skimmed skims corrupted ships pushes deploys"""
)
FIRST_WORDS_RCA = FIRST_WORDS | word_set(CAUSAL_ACTION.replace("|", " "))

# Where one of these is, any -ed or -ing word can begin a predicate ("clicked the wrong").
WRONG = LazyPattern(
    r"\b(?:wrong|incorrect|mistaken|instead\s+of)\b",
    re.IGNORECASE,
    needs=("wrong", "incorrect", "mistaken", "instead"),
)
# "merged the PR without waiting for CI": the verb before 'without' carries the subject.
# "the documented process … was not followed": whoever did not follow it is the cause.
NOT_FOLLOWED = LazyPattern(
    r"\b(?:process|procedure|runbook|playbook|policy|checklist|protocol|steps?|guidelines?"
    r"|instructions)\b[^.;:!?]{0,80}?\b(?:was|were|had\s+been)\s+(?:not|never)\s+"
    r"(?:followed|respected)|\b(?:wasn't|weren't)\s+(?:followed|respected)\b"
    # 'nothing was done for another two hours': an omission with its people left out
    r"|\b(?:nothing|no\s+action)\s+(?:at\s+all\s+)?was\s+(?:done|taken)\s+(?:for|until|about)\b",
    re.IGNORECASE,
    needs=("followed", "respected", "done", "taken"),
)
WITHOUT = LazyPattern(
    r"\bwithout\s+(?:first\s+|even\s+|so\s+much\s+as\s+)?(?:checking|glancing|double-checking|waiting|reviewing|review|testing|tests|approval"
    r"|reading|verifying|telling|notifying|informing|announcing|coordinating|asking|looking"
    r"|confirming|running|a review|a second"
    r"|any review|peer review|consulting|a dry[- ]run|a backup"
    # what one acts without that a change needs: 'without clearance from the shift lead'
    r"|(?:the\s+|a\s+|an\s+|any\s+|prior\s+)?(?:[\w-]+\s+){0,2}?(?:clearance|authori[sz]ation"
    r"|sign-?off|ticket|approval|permission|change\s+request|verification|assessment))\b"
    # 'contrary to the agreed procedure'
    r"|\bcontrary\s+to\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){0,2}?(?:procedure|process|policy|runbook"
    r"|instructions?|plan)\b",
    re.IGNORECASE,
)
# What a person's work did to the system, when it is said to have done harm.
DAMAGED = (
    r"caused|broke|removed|introduced|deleted|dropped|disabled|took down|brought down|triggered"
    r"|exhausted|overloaded|corrupted|wiped|flooded|filled|overwrote|overwrites|locked|crashed"
    r"|leaked|erased|truncated|killed|causes|breaks|deletes|drops|disables|takes down"
    r"|brings down|triggers|corrupts|wipes|locks|crashes|kills|truncates"
)
# "Priya ran the migration that locked the table": the verb before 'that' carries the
# subject, as before 'without'.
THAT_DAMAGED = LazyPattern(
    r"\b(?:that|which)\s+(?:then\s+|also\s+|accidentally\s+)?(?:" + DAMAGED + r")\b"
    # 'removes the first dose by override, beginning the chain of delayed doses'
    r"|,\s*(?:causing|triggering|breaking|taking\s+down|bringing\s+down|locking|wiping"
    r"|corrupting|deleting|beginning\s+the|starting\s+the|shoving|overloading|flooding"
    r"|knocking)\b",
    re.IGNORECASE,
    needs=(
        *("that", "which", "causing", "triggering", "breaking", "taking", "bringing"),
        *("locking", "wiping", "corrupting", "deleting", "beginning", "starting", "shoving"),
        *("overloading", "flooding", "knocking"),
    ),
)
# "Zoë changed the retention policy, and that is what deleted the logs": the act before
# is said to be the cause (its subject is read as THAT_DAMAGED's is).
THAT_WAS_WHY = LazyPattern(
    r"\b(?:that|this)(?:\s+(?:is|was)|'s|\u2019s)\s+(?:exactly\s+|precisely\s+)?(?:what|why|how"
    # 'Moana ran the purge against prod, that's our root cause'
    r"|(?:our|the)\s+(?:(?:real|root|main|actual)\s+)?(?:cause|trigger|culprit))\b",
    re.IGNORECASE,
    needs=("that", "this"),
)
# "Rohan pushes his config change and every pod starts crash-looping", "KP merged the bump;
# errors start 90 s later": what broke, told right after an act (whose subject is read as
# THAT_DAMAGED's is).
BROKE_AFTER = LazyPattern(
    r"\b(?:start(?:s|ed)?\s+(?:to\s+)?(?:climb|crash|fail|reject|return|spik|error|screaming|ris"
    r"|build(?:ing)?\s+up|pil(?:e|ing)\s+up|back(?:ing)?\s+up|tim(?:e|ing)\s+out)"
    r"\w*|(?:goes|went)\s+(?:down|dark|blank|offline)|fell\s+over|falls\s+over|crash(?:es|ed)|crash-?looping"
    r"|collapsed|collapses|spik(?:es|ed)|climb(?:s|ed)|starts?\s+\d+\s*s)\b",
    re.IGNORECASE,
    needs=(
        *("start", "down", "fell", "falls", "crash", "collapse", "spikes", "spiked", "climbs"),
        *("dark", "blank", "offline"),
        "climbed",
    ),
)
# What joins an act to what broke after it, read back from BROKE_AFTER's match: ', and',
# ';', an arrow or a dash, 'and that is when', 'which is when', and a few words of subject.
BROKE_JOIN = LazyPattern(
    r"(?:[,;]\s*|\s+(?:\u2192|->|\u2014|\u2013)\s*|\s+and\s+)(?:(?:that|this)(?:\s+is|'s|\u2019s)"
    r"\s+when\s+|which\s+is\s+when\s+|after\s+which\s+|from\s+this\s+moment\s+|then\s+)?"
    r"(?:[\w@#./'-]+\s+){0,5}?$",
    re.IGNORECASE,
)
PAST_VERB = LazyPattern(
    r"(?:re-?)?(?:[a-z]+ed|ran|put|set|made|took|sent|wrote|hit|cut|let|shut|did|went|gave"
    r"|got|began|chose|drove|rolled|pushed|saw|found|read|kept|left|forgot|told|said|lost|held"
    r"|knew|thought|brought|bought|built|caught|led|meant|paid|sold|stood|understood|wiped)",
)
BY_AGENT = LazyPattern(
    r"\b(?P<aux>(?:was|were|had been|got|been|is|are)\s+)?(?:\w+ly\s+)?"
    r"(?P<verb>missed|ignored|overlooked|forgotten|broken|caused|introduced|skipped|bypassed|misconfigured|mistyped|botched"
    r"|neglected|not\s+\w+|never\s+\w+"
    # What destroys data or takes a service down is no neutral act, even in a timeline.
    r"|(?P<damaging>deleted|dropped|wiped|overwritten|corrupted|truncated|erased"
    r"|(?:taken|brought)\s+down)"
    r"|(?P<neutral>(?:\w+ed|\w+en|made|done|run|set|sent|written)"
    # where it was done: 'uploaded to SBC cluster B by', 'scaled to 0 by'
    r"(?:\s+(?:to|on|in|into|onto|at)\s+(?:[\w.:/-]+\s+){0,2}?[\w.:/-]+)?"
    # an act named by its noun: 'a config push by Dmitri', 'manual queue purge by A.O.'
    r"|push|change|edit|deploy|deployment|restart|reboot|update|upgrade|rollout|migration"
    r"|action|command|commit|merge|release|cutover|failover|purge|flush|deletion|reindex"
    r"|operation|amendment|upload|tweak|patch|hotfix))"
    r"\s+by\s+",
    re.IGNORECASE,
    needs=("by",),
)
# A cause said, then whose work it was: "halted due to a configuration change pushed by
# Mateo Rossi", "caused by the commit of Lee Min-jun", "traces back to a change by Tomasz".
CAUSED_WORK_BY = LazyPattern(
    r"\b(?:due\s+to|because\s+of|caused\s+by|result(?:ed)?\s+(?:of|from)|traces?\s+back\s+to"
    r"|traced\s+(?:back\s+)?to|originated\s+(?:with|from|in)|(?:stemmed|stems)\s+from"
    r"|attribut(?:ed|able)\s+to|kicked\s+off\s+by|brought\s+about\s+by"
    r"|(?:the|a)\s+(?:\w+\s+)?(?:cause|trigger)(?:\s+of\s+(?:the|this)\s+\w+)?\s+(?:was|is))"
    r"\s+(?:(?!(?:by|of|and|but|then|after|before|which|that)\b)[\w'\u2019.-]+\s+){1,6}?"
    r"(?:by|of|from)\s+",
    re.IGNORECASE,
    needs=(
        *("due", "because", "caused", "result", "resulted", "trace", "traces", "traced"),
        "brought",
        *("originated", "stemmed", "stems", "cause", "trigger", "attributed", "attributable"),
        "kicked",
    ),
)
CAUSED_BY = LazyPattern(
    r"\b(?:caused|triggered|introduced|precipitated)\s+by\s*:?\s*"
    # 'started by' is a timeline's plain record, unless what was started is the trouble.
    r"|\b(?:incident|outage|problem|failure|issue)\s+(?:was\s+)?(?:started|initiated)\s+by\s*:?\s*"
    r"|\b(?:(?:root|proximate|main|outage|incident)\s+)?(?:cause|reason)(?:\s+of\s+(?:the\s+)?"
    r"(?:incident|outage|problem|(?:[\w-]+\s+){0,2}?(?:loss|outage|incident|failure|breach"
    r"|downtime)))?\s*(?::|=|was|is)\s*|\b(?:trigger|culprit)\s*(?::|=|was|is"
    r"|\s[\u2014\u2013-])\s*"
    # 'Outage cause for the shift report: K. Adeyemi's reboot'
    r"|\b(?:outage|incident|failure)\s+(?:cause|trigger)\s+(?:for|of|in)\s+(?:[\w-]+\s+){0,3}?[\w-]+"
    r"\s*:\s*"
    r"|\broot[- ]caused\s*(?::|as|to)\s*|\bresponsible\s+of\s+the\s+\w+\s+(?:is|was)\s+",
    re.IGNORECASE,
    needs=(
        *("cause", "reason", "trigger", "culprit", "responsible", "introduced", "started"),
        *("initiated", "precipitated"),
    ),
)
# "attributable to J. Okafor", "traced the whole mess back to Tariq's fix", "lies with the
# release team": where the cause is said to be, a person is named.
CAUSE_LIES_WITH = LazyPattern(
    r"\b(?:(?:attributable|attributed|traceable)\s+to|traced(?:\s+(?:[\w-]+\s+){0,4}?back)?"
    r"\s+to|(?:(?:came|comes|boils|boiled)\s+down|(?:is|was)\s+(?:(?:all|also|again|entirely"
    r"|largely|mostly|squarely)\s+)?down)\s+to"
    r"|(?:lies|rests|originated|started(?:\s+and\s+ended)?|begins|began)\s+(?:squarely\s+)?"
    r"with)\s+",
    re.IGNORECASE,
    needs=(
        *("attributable", "attributed", "traceable", "traced", "down", "lies"),
        *("rests", "originated", "started", "begins", "began"),
    ),
)
# "Anaïs, who approved the change, is the reason it reached production": a subject named
# as the cause itself (the detector asks that the subject is a person or a role).
IS_THE_CAUSE = LazyPattern(
    r"\b(?:is|was)\s+(?:(?:also|again|really|clearly)\s+)?(?:the|a)\s+(?:(?:real|main|root"
    r"|underlying|direct|sole|only|whole|actual)\s+)?(?:reason|cause|culprit|trigger|origin"
    r"|root(?=\s+of\b))\b",
    re.IGNORECASE,
    needs=("reason", "cause", "culprit", "trigger", "origin", "root"),
)
# "Yamada-san executed the wrong SQL, and this is the start of the trouble": an act marked
# as where things went wrong (the detector asks that the sentence opens with a person).
WENT_WRONG = LazyPattern(
    r"\b(?:(?:(?:this|that|which|here)\s+(?:is|was)\s+|(?:is|was)\s+)(?:where|when)\s+"
    r"(?:it|things|everything)\s+(?:all\s+)?went\s+wrong|(?:this|that|which)\s+(?:is|was)\s+"
    r"the\s+(?:real\s+problem|start\s+of\s+the\s+(?:trouble|problem|incident|outage))"
    r"|that(?:'s|\u2019s|\s+is|\s+was)\s+what\s+(?:broke|(?:took|brought|knocked)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:down|out|offline)))",
    re.IGNORECASE,
    needs=("wrong", "problem", "trouble", "start", "took", "brought", "broke", "knocked"),
)
# "Because Amara's batch job flooded it", "because Mr Adeyemi disabled the hook": a 5 Whys
# answer that names a person's act as the cause (the detector asks for the act).
BECAUSE = LazyPattern(
    r"\bbecause(?:\s+of)?\s+|\bbc\s+(?=@)|\b(?:due|owing)\s+to\s+|\b(?:trac(?:es|ed|e)\s+back\s+to"
    r"|(?:came|comes)\s+down\s+to|result(?:ed|s)\s+from|stem(?:med|s)\s+from)\s+|\b(?:started|began|begins|initiated|triggered|happened|broke|crashed"
    r"|failed|went\s+(?:down|dark|out)|stopped|leaked|kicked\s+off|(?:was|were)\s+(?:created|lost"
    r"|corrupted|wiped|deleted|overwritten|dropped))"
    # 'kicked off at 5:52 on Friday when Anneliese flipped the flag'
    r"(?:\s+(?:at|on|around)\s+[\w:.]+(?:\s+(?:am|pm|utc))?){0,2}\s+(?:when|after|once"
    r"|(?:right\s+)?the\s+(?:minute|moment|second))\s+",
    re.IGNORECASE,
    needs=(
        *("because", "due", "trac", "down", "started", "began", "begins", "initiated"),
        *("owing", "bc", "resulted", "results", "stemmed", "stems"),
        *("triggered", "happened", "broke", "crashed", "failed", "went", "stopped", "leaked"),
        *("created", "lost", "corrupted", "wiped", "deleted", "overwritten", "dropped"),
        "kicked",
    ),
)
# Hunting for the culprit: "who pushed to prod without the flag??", "need to know who
# merged this", "Whoever committed the AWS keys, please DM me".
CULPRIT_HUNT = LazyPattern(
    r"\b(?:who|whoever|which\s+(?:of\s+(?:our|the|us|you)\s+)?(?:person|people|engineers?|devs?"
    r"|developers?|operators?|(?:staff|team)(?:\s+members?)?|one\s+of\s+(?:us|you)|admins?"
    r"|technicians?|members?|user|employees?|individuals?|colleagues?|analysts?"
    r"|maintainers?|contributors?|reviewers?|testers?))\s+(?:(?:has|had|actually|just|exactly"
    r"|the\s+hell|on\s+earth|keeps|kept)\s+)?"
    r"(?:pushed|merged|ran|run|approved|deleted|dropped|committed|authori[sz]ed|deployed|silenced"
    r"|broke|changed|did\s+this|wrote|shipped|disabled|removed|touched|applied|flipped|pasted"
    r"|typed|restarted|hit|issued|cut|edited|killed|published|released|tagged|cleared|turned"
    r"|switched|quarantined|signed\s+off|ignoring|ignored|reset|revoked|enabled|altered"
    r"|modified|updated|entered|uploaded|reverted|commented|overrode|overwrote)\b"
    # "... and we still don't know who.": the hunt left open at the end of a sentence
    r"|\bknow\s+who(?=\s*(?:[.!?]|$))"
    r"|\bneed\s+a\s+name\b|\b(?:identification|identity|name)\s+of\s+the\s+(?:individual|person"
    r"|engineer|operator|employee|staff\s+member)s?\s+responsible\b",
    re.IGNORECASE,
    needs=("wh", "need", "responsible"),
)
# "it was Wen who flipped the flag", "this one's on Eitan", "this one was Jonas -": a person
# identified as the one behind the incident (the detector asks that the clause ends there).
IDENTIFIED_AS = LazyPattern(
    r"\b(?:(?:it|this|that)(?:\s+(?:[\w-]+\s+)?one)?\s+(?:was|is)\s+(?:on\s+|all\s+)?|(?:this|that)(?:\s+one)?"
    r"(?:'s|\u2019s)\s+(?:on\s+)?|(?:is|was)\s+on\s+)",
    re.IGNORECASE,
    needs=("was", "is", "'s", "\u2019s"),
)
# "Bill's change removed the timeout": a person's change named as what broke things.
CAUSAL_AFTER = LazyPattern(
    r"^(?:[^.;:!?]|(?<=\d)[:.](?=\d)){0,60}?\b(?:" + DAMAGED + r""
    r"|is what|was what|started\s+(?:the|all|this|everything)|kicked off|took out|knocked"
    r"|set\s+(?:the\s+whole\s+thing|it\s+all|everything|this|all\s+this)\s+off"
    r"|take down|takes out|cut off|cuts off|nuked|is where|was where|came from"
    r"|emptied|made\s+(?:it|things|this)\s+worse|makes\s+(?:it|things)\s+worse"
    r"|(?:is|was)\s+(?:the|a)\s+(?:(?:real|root|underlying|main|core|big|direct)\s+)?(?:cause"
    r"|reason|origin|trigger|culprit|problem)|(?:is|was)\s+(?:a\s+big\s+)?part\s+of\s+why)\b",
    re.IGNORECASE,
)
# "The problem started with Elena's deployment", "a regression from Oksana's refactor": a
# person's work named as where the trouble came from.
CAUSAL_BEFORE = LazyPattern(
    r"\b(?:(?:had\s+it\s+not|(?:was|were)\s+it\s+not|if\s+(?:it\s+)?(?:had\s+not|hadn't))"
    r"\s+been\s+for|(?:started|began|begins|starts|came|comes|come)\s+(?:in\s+)?with|(?:regression|breakage"
    r"|bug|outage|fallout|damage|trouble|problem)s?\s+(?:came\s+)?(?:from|in)|due\s+to"
    r"|because\s+of|(?:was|is)\s+(?:also|again)|blame|(?:traces?|traced)\s+back\s+to"
    r"|traced\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?to"
    r"|(?:came|comes|resulted|results|stems|stemmed|originated|originates)\s+from|all\s+from"
    r"|(?:direct\s+)?result\s+of"
    r"|(?:was|is)\s+(?:all\s+|also\s+)?down\s+to|root\s+of\s+it\s+all\s+(?:was|is)"
    r"|(?:core|root|real|main)\s+(?:failure|cause|problem|reason|trigger)\s+(?:was|is)"
    r"|cause(?:\s+(?:identified|found|confirmed))?\s*:)\s+(?:(?:the|a|an)\s+)?$",
    re.IGNORECASE,
)
# Words that call a piece of work faulty: 'a bad deploy', "Amara's misconfigured policy".
FAULTY = word_set(
    """careless sloppy botched reckless unreviewed untested wrong bad faulty broken buggy
    misconfigured erroneous incorrect"""
)
JUDGED_BY = LazyPattern(
    r"\b(?:(?:" + "|".join(sorted(FAULTY)) + r")\s+(?:[\w.-]+,?\s+){0,6}?(?:by|from)"
    r"|(?:error|mistake|typo|oversight|slip|lapse)\s+(?:[^\s;!?]+\s+){0,6}?by)\s+",
    re.IGNORECASE,
)
# A person's work, neutral in itself: "Bill's change" names a cause only where the sentence
# says so (or in Root Cause Analysis).
WORK_NOUNS = word_set(
    """change changes commit commits deploy deploys deployment deployments pr prs script
    command config configuration edit edits migration query push merge merges decision action
    patch hotfix fix upgrade update updates alteration rollout release releases branch apply
    delay cron job work refactor restart reboot rollback restore cleanup override spreadsheet
    call choice backfill rename tweak sweep handling operation transfer rule build upload
    doing plan idea cutover purge rewrite modification rerun reruns policy model
    crontab expression rotation resend mute flip reset toggle bump rollover"""
)
POSSESSIVE = LazyPattern(
    r"(?P<owner>\b(?:his|her)|(?<![\w.@-])@?[A-Za-z][\w.\-]{0,60}(?:'s|\u2019s))\s+(?:own\s+)?"
    r"(?:[\w-]+\s+){0,2}?"
    r"(?P<noun>mistake|mistakes|error|errors|typo|typos|oversight|fault|negligence|carelessness|slip|blunder|lapse"
    r"|mishandling|misjudge?ment|misoperation"
    r"|failure(?=\s+to\s)"
    r"|(?P<neutral>pull request|" + "|".join(sorted(WORK_NOUNS, key=len, reverse=True)) + r"))\b",
    re.IGNORECASE,
)
# A team's or "we"'s failure given as the result of a cause the sentence already named.
CONSEQUENCE_BEFORE = LazyPattern(
    r"\b(?:so|therefore|thus|hence|as a result|consequently|which meant|meaning)"
    r"(?:\s+that)?,?\s+(?:the\s+)?$"
    # 'the process added so much waiting time that the teams bypassed it'
    r"|\bso\s+(?:much|many|long|slow|hard|painful|complex)\s+(?:[\w-]+\s+){0,3}?that\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# What somebody believed or asked, not what the text asserts: "assumed user error at the
# time", "not assume we could have started it faster", "reflect if it should have been".
REPORTED_BEFORE = LazyPattern(
    r"\b(?:assum\w*|presum\w*|suspect\w*|thought|think\w*|believ\w*|guess\w*|regard\w*"
    r"|it\s+was\s+(?:said|claimed|argued|suggested)"
    r"|speculat\w*|hypothes\w*|whether|(?:reflect|consider|discuss|evaluate|ask|question)"
    r"\w*\s+(?:on\s+)?if)\b(?:\s+[\w'\u2019-]+){0,8}\s*$",
    re.IGNORECASE,
)


# A blame frame raised to be turned toward the system: "it would be easy to say the
# reviewer missed the token, but …", "before anyone says Dave broke it:", "it was initially
# suggested that the engineer was at fault; the review concluded …".
RAISED_TO_TURN = LazyPattern(
    r"\b(?:(?:it\s+(?:is|was|would\s+be|might\s+be)|it's)\s+(?:tempting|easy|natural|simple"
    r"|convenient)\s+to|before\s+anyone\s+(?:says|asks|blames)|(?:was|were)\s+initially"
    r"\s+(?:suggested|assumed|thought|blamed|said|reported|stated)|although\s+the\s+initial"
    r"|(?:initially|at\s+first)\s+(?:\w+\s+){0,3}?(?:thinking|thought|assumed|believed|suspected"
    r"|recorded|reported|classified|logged|coded|labell?ed|described|filed|tagged)"
    r"|initial\s+(?:reports?|reading|assessment|triage|draft)\s+(?:\w+\s+){0,4}?(?:attributed"
    r"|blamed|said|pointed|suggested|described)|(?:we|i)\s+resist|rather\s+than\s+(?:blaming|asking|saying|conclude)|instead\s+of"
    r"\s+(?:blaming|asking|saying)|(?:cleared|ruled\s+out|not\s+the\s+cause)\s*:"
    r"|(?:(?:my|our|the|a)\s+)?first\s+(?:thought|instinct|reaction|guess|assumption)"
    r"|(?:speculation|suspicion|theory|theories)\s+(?:[\w-]+\s+){0,6}?(?:whether|that)\b"
    r"|(?:you|one|we|i|some|people|someone|somebody|anyone)\s+(?:could|might|may|will)\s+(?:say"
    r"|argue|hear|read)\b)",
    re.IGNORECASE,
    needs=(
        *("tempting", "easy", "natural", "simple", "convenient", "anyone", "initial"),
        *("resist", "rather", "instead", "cleared", "ruled", "cause", "first", "say", "argue"),
        *("hear", "read", "first", "speculation", "suspicion", "theor"),
    ),
)


# --- PM401: hindsight counterfactuals ------------------------------------------------------

PARTICIPLES = word_set(
    """been done known seen caught taken given gone run made put set kept told found thought
    brought built sent spent written read held let hit cut shut paid led left got gotten won
    sold said heard understood stood spotted begun chosen drawn driven eaten fallen flown
    forgotten frozen grown hidden ridden risen shaken shown spoken stolen thrown woken worn
    broken felt meant dealt lost slept swept won shot struck stuck sunk sprung spun taught
    fought sought bought built rebuilt split quit spread shed bet cast cost hurt had bent
    lent burnt learnt spelt dug hung fed bled bred fled sped won wound ground bound
    rolled"""
)
_MODAL_ADVERBS = (
    r"(?:(?:also|just|really|simply|easily|probably|clearly|definitely|certainly|never|all|both"
    r"|at least|at the very least)\s+|,\s*(?:in|with)\s+(?:hindsight|retrospect),\s*)*"
)
_HAVE_ADVERBS = r"(?:(?:also|just|really|simply|easily|probably|clearly|never|already)\s+)*"
MODAL_HAVE = LazyPattern(
    r"\b(?P<modal>should|shouldn't|shouldn\u2019t|ought(?:n't|\s+not)?\s+to|could|couldn't"
    r"|couldn\u2019t|would|wouldn't|wouldn\u2019t|needed\s+to)(?P<neg>\s+not)?\s*"
    + _MODAL_ADVERBS
    # 'should of checked' and 'should to have' are how some write 'should have'
    + r"(?:to\s+)?(?:have|'ve|\u2019ve|of)\s+"
    + _HAVE_ADVERBS
    + r"(?P<part>[A-Za-z][\w-]*)",
    re.IGNORECASE,
    needs=("have", "'ve", "\u2019ve", "of"),
)
MODAL_CONTRACTED = LazyPattern(
    r"\b(?P<modal>should|could|would)(?:'ve|\u2019ve)\s+"
    + _HAVE_ADVERBS
    + r"(?P<part>[A-Za-z][\w-]*)",
    re.IGNORECASE,
    needs=("'ve", "\u2019ve"),
)
# "if the on-call had just restarted it", "had Sarah checked the diff": hindsight about what
# someone did, when the one who had is a person (the detector asks).
IF_HAD = LazyPattern(
    # A dot inside a word ('@ken.ito', 'Ms.') does not end the agent.
    # the agent begins with what a space is not: a run of spaces is read once, not per split
    r"\bif\s+(?P<agent>[^\s,.;:!?()](?:[^,.;:!?()]|\.(?=\w)|(?<=\bMs|\bMr|\bDr)\.){0,59}?)\s*"
    r"(?:\bhad(?:n't|n\u2019t)?|'d|\u2019d)\s+"
    r"(?:(?:just|only|simply|actually|really|even|not|never"
    r"|(?P<bothered>bothered\s+to|thought\s+to))\s+)*"
    r"(?P<part>[A-Za-z][\w-]*)",
    re.IGNORECASE,
    needs=("if",),
)
HAD_INVERTED = LazyPattern(
    r"(?:^|(?<=[.;:!?,>\u2014\u2013(\[])|(?<=\s-)|(?<=\band)|(?<=\bbut)|(?<=\bthat)"
    r"|(?<=\bbecause)|(?<=avoided)|(?<=prevented)|(?<=averted)|(?<=limited)|(?<=contained)"
    r"|(?<=earlier)|(?<=sooner)|(?<=happened)|(?<=occurred)|(?<=noticed)|(?<=caught)|(?<=ly))\s*"
    r"(?P<had>had)\s+(?=[\w@])",
    re.IGNORECASE,
    needs=("had",),
)
# "Anna was supposed to renew the domain", "the team was expected to … and did not", "it
# was the platform team's job to": an obligation someone is said to have missed.
# After a duty, that it was not done: 'and did not', 'and this was not done', 'and that week
# it just wasn't', '… directly, not email', 'instead of'.
_NOT_DONE_AFTER = (
    # (a few words between only after a pronoun for the one with the duty: 'and that week
    # it just wasn't'; 'and the alert never fired' tells what a thing did not do)
    r"(?:\b(?:and|but)\s+(?:(?:he|she|they|it|this|that)\s+(?:[\w']+\s+){0,3}?)?"
    r"(?:did(?:n't|n\u2019t|\s+not)|had(?:n't|n\u2019t|\s+not)|not\b|failed\b|never\b"
    r"|was(?:n't|n\u2019t|\s+not)|were(?:n't|n\u2019t|\s+not))"
    # '… was supposed to call the account directly, not email'
    r"|,\s*not\s+(?!only\b|just\b)[^.;!?]{1,40}(?:[.;!?]|$)|\binstead\s+of\b|\brather\s+than\b)"
)
OBLIGATION = LazyPattern(
    r"\b(?:was|were|is|are)\s+(?:(?:supposed|meant)\s+to|(?:(?:expected|required|obliged|tasked)\s+to"
    r"|responsible\s+for)"
    r"(?=[^.;!?]{1,120}?" + _NOT_DONE_AFTER + r"))"
    r"|\b(?:was|is)\s+(?:the\s+)?(?:duty|responsibility|job|task)\s+of\s+"
    r"(?P<of_owner>(?:[\w@.'\u2019-]+\s+){0,4}?[\w@.'\u2019-]+)(?:\s*,[^.;!?,]{1,60},)?\s+to\b"
    r"(?=[^.;!?]{1,120}?" + _NOT_DONE_AFTER + r")"
    r"|\bwas\s+(?P<owner>(?:the\s+|our\s+)?[\w@.\-]+(?:\s+[\w-]+)?(?:'s|\u2019s))\s+"
    r"(?:job|responsibility)\s+to\b"
    # 'Carlos needed to escalate as soon as the codes changed, not after lunch'
    r"|\b(?:needed|had)\s+to(?=\s[^.;!?]{1,120}?,\s*not\s+(?!only\b|just\b)[^.;!?]{1,40}(?:[.;!?]|$))",
    re.IGNORECASE,
    needs=(
        *("supposed", "meant", "expected", "responsible", "job", "responsibility", "required"),
        *("obliged", "tasked", "needed", "had", "duty", "task"),
    ),
)
IF_ONLY = LazyPattern(r"\bif only\b", re.IGNORECASE, needs=("if only",))
LUCKY = LazyPattern(r"lucky|luck", re.IGNORECASE)


# "we would have lost the evening peak": what would have happened, not what someone should
# have done.
IMPACT_PARTICIPLES = word_set(
    """been lost missed breached exceeded violated owed paid run hit seen had needed faced
    suffered incurred dropped failed overrun"""
)


# --- PM403: judgement words ----------------------------------------------------------------

JUDGEMENT_PHRASE = LazyPattern(
    r"\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|sloppy|sloppiness|lazy|laziness"
    r"|incompeten(?:t|ce|tly)|reckless(?:ly|ness)?|irresponsibl[ey]|irresponsibility"
    r"|inattentive(?:ness)?|inattention|clueless|thoughtless(?:ly|ness)?|foolish(?:ly|ness)?"
    r"|stupid(?:ity|ly)?|dumb|idiot(?:ic|s)?|boneheaded|moronic|amateurish|unprofessional"
    r"|complacen(?:t|cy|ce)|cowboy|(?:dropped|drops|dropping)\s+the\s+ball"
    r"|fat[- ]?finger(?:ed|ing|s)?"
    r"|(?:did not|didn't|didn\u2019t|couldn't|could not|can't|won't|could|would)\s+(?:be\s+)?"
    r"bother(?:ed)?|(?:their|his|her|my|your|our|(?<![\w@.-])[\w@.-]{1,60}(?:'s|\u2019s))\s+(?:own\s+)?fault"
    r"|at fault|to blame|lazily"
    r"|(?:should|ought to)\s+(?:have\s+)?know(?:n)?\s+better|rookie (?:mistake|error)"
    r"|newbie (?:mistake|error)|silly mistake|basic mistake|obvious mistake"
    r"|lack of (?:care|diligence|attention|discipline|ownership|maturity|experience|competence"
    r"|judge?ment)|not paying attention|unreliab(?:le|ility)|hast(?:y|ily)"
    r"|(?:zero|no|little)\s+care\s+(?:for|about)"
    r")\b",
    re.IGNORECASE,
    needs=(
        *("careless", "negligen", "sloppy", "sloppi", "lazy", "lazi", "incompeten", "reckless"),
        *("irresponsib", "inattenti", "clueless", "thoughtless", "foolish", "stupid", "dumb"),
        *("idiot", "boneheaded", "moronic", "amateurish", "unprofessional", "complacen"),
        *("cowboy", "ball", "fat", "bother", "fault", "blame", "better", "mistake", "error"),
        *("lack", "attention", "unreliab", "hast", "care"),
    ),
)
# Judgements of competence, experience, attention and state of mind, said of a person.
JUDGEMENT_STATE = LazyPattern(
    r"\b(?:out\s+of\s+(?:(?:their|his|her|my|our|your)\s+)?depth|asleep\s+at\s+the\s+wheel"
    r"|lack(?:ed|s)\s+(?:[\w-]+\s+){0,3}?(?:experience"
    r"|competence|skills?|judge?ment|understanding|urgency|maturity|diligence"
    r"|situational\s+awareness)"
    r"|(?:too|so|still\s+too)\s+(?:junior|inexperienced)|inexperienced?|overconfiden(?:t|ce)"
    r"|not\s+enough\s+(?:concentrated|careful|experienced|focused|attentive)"
    r"|not\s+(?:yet\s+|really\s+|so\s+|very\s+|that\s+)?(?:experienced|competent|senior|ready|careful|detail-oriented"
    r"|serious|concentrated|qualified|professional)(?:\s+enough)?(?=\s+(?:(?:to|for|with|enough|in)\b|w/)"
    r"|[.,;!]|$)"
    r"|panick(?:ed|ing)|panics|overwhelmed|indecisive(?:ness)?|disorgani[sz]ed|half-asleep"
    r"|(?:was|were|wasn't|weren't|not)\s+(?:really\s+|even\s+)?paying\s+attention"
    r"|(?:poor|bad|questionable|terrible)\s+(?:judge?ment|call|decision-making|discipline)"
    # 'the informaticist's judgement throughout this event was poor'
    r"|(?:'s|\u2019s|\bhis|\bher|\btheir)\s+(?:judge?ment|discipline|attention\s+to\s+detail)"
    r"\s+(?:[\w-]+\s+){0,4}?(?:was|were|is|has\s+been)\s+(?:\w+\s+)?(?:poor|lacking|bad"
    r"|questionable|inadequate|lax)"
    r"|(?:inexcusable|unacceptable|embarrassing)(?=\s*(?:[.,;!]|$|for\s+someone|given|and"
    r"\s+we))|amateur\s+hour|beginner(?:'s)?\s+mistake"
    r"|(?:lost|loses|losing)\s+(?:their|his|her|my)\s+(?:cool|temper|head)|cavalier(?:ly)?"
    r"|(?:didn't|did\s+not|doesn't|does\s+not|don't)\s+(?:really\s+)?(?:know|understand)"
    r"\s+what\s+(?:(?:they|he|she|you|i|we)\s+(?:was|were|are|is|am)|he's|she's|they're"
    r"|i'm|you're)\s+doing|in\s+over\s+(?:their|his|her|my|our|your)\s+heads?"
    r"|(?:un|under-?)trained|unqualified|half[- ]asleep|froze\s+under\s+(?:the\s+)?pressure"
    r"|not\s+(?:his|her|their|my)\s+finest\s+hour"
    # what someone knows or heeds found wanting: 'the awareness of the team members for the
    # quality was low', 'our DB knowledge is frankly weak', 'how little the coordinator
    # understood'
    r"|(?:knowledge|skills?|competence|expertise|awareness|consciousness|attention|diligence)"
    r"(?:\s+(?:of|about|for|to|in|among|on|across)(?:\s+[\w'\u2019-]+){1,8}?)?"
    r"\s+(?:is|was|are|were)\s+(?:\w+ly\s+|very\s+|too\s+)?(?:weak|low|poor|lacking"
    r"|insufficient|inadequate)\b"
    r"|how\s+little\s+(?:the\s+|our\s+)?(?:[\w-]+\s+)?(?:understood|knew|understands|knows)"
    r"|\b(?:impatient|arrogant|frazzled)\b|(?:wasn't|was\s+not|weren't|not)\s+thinking\s+straight"
    r"|despite\s+(?:being\s+aware|knowing|having\s+been\s+(?:warned|told)))\b",
    re.IGNORECASE,
    needs=(
        *("depth", "wheel", "lack", "junior", "inexperienc", "overconfiden", "experienced"),
        *("competent", "senior", "ready", "careful", "detail-oriented", "serious", "concentrated"),
        *("qualified", "panick", "panics", "overwhelmed", "indecisive", "disorgani", "half-asleep"),
        *("paying", "judg", "call", "decision", "inexcusable"),
        *("unacceptable", "embarrassing", "amateur", "beginner", "cool", "temper", "head"),
        *("cavalier", "doing", "finest", "despite", "over", "trained", "unqualified"),
        *("asleep", "froze", "professional", "focused", "attentive", "discipline"),
        *("awareness", "attention", "knowledge", "skill", "competence", "expertise"),
        *("consciousness", "diligence", "little", "impatient", "arrogant", "frazzled"),
        *("thinking",),
    ),
)
# What a person's mind or skill is said to be: judged only when a person or a role is the
# one described ('Kenji is still pretty green', 'the weekend crew are checked out', 'the
# insufficient competence of junior staff'); a node is never green or checked out.
PERSON_STATE = LazyPattern(
    r"\b(?:(?:pretty|still|too|very|so|bit|kinda|rather|quite)\s+green"
    r"|checked\s+out(?=\s*(?:[.,;:!?)]|$|and\b|during\b|by\b|after\b|for\s+(?:most|much|the)\b"
    r"|on\s+(?:the|a)\s+call))"
    r"|not\s+have\s+(?:enough|the|sufficient|any)\s+(?:\w+\s+)?(?:experience|skills?|knowledge)"
    r"|(?:no|(?:didn't|did\s+not|doesn't|does\s+not|don't)\s+have\s+a)\s+clue|no\s+idea\s+(?:what|how)|(?:does|do|did)(?:\s+not|n't)\s+(?:even\s+)?know\s+(?:the\s+)?"
    r"basics|not\s+having\s+(?:proper|enough|sufficient|the)\s+(?:knowledge|experience|skills?)"
    r"|(?:very|too|quite|still)\s+junior|lapse\s+in\s+(?:attention|concentration|judge?ment)"
    r"|not\s+serious\s+about|running\s+on\s+(?:\w+\s+){0,3}?sleep"
    r"|visibly\s+(?:overwhelmed|stressed|panicked|rattled|flustered)"
    r"|under\s+(?:considerable\s+|a\s+lot\s+of\s+|heavy\s+|great\s+)?(?:stress|pressure)\s+and"
    r"|lost\s+(?:(?:his|her|their|my)\s+)?(?:focus|concentration)|unfamiliar(?:ity)?\s+with"
    r"|lack(?:ed|s|ing)?\s+(?:\w+\s+){0,2}familiarity"
    r"|(?:isn't|wasn't|aren't|weren't|not)\s+(?:\w+\s+)?(?:experienced|careful|skilled|competent"
    r"|senior|reliable|responsible|trustworthy|mature|detail-oriented|technical|knowledgeable"
    r"|attentive|thorough|trained|sensitive|alert|vigilant|cautious|diligent|rigorous|focused"
    r"|sharp)"
    r"\s+enough|(?:doesn't|does\s+not|don't|do\s+not|didn't|did\s+not)\s+(?:really\s+"
    r"|even\s+)?(?:have\s+(?:the|enough|sufficient|any)\s+(?:\w+\s+)?(?:experience|skills?|knowledge"
    # What someone did not know at the time is PM402's; that they don't know it is judged.
    r"|competence)|(?<!didn't\s)(?<!did\snot\s)(?<!didn\u2019t\s)know\s+(?:our|the|their|his|her|what"
    r"|how)|care\s+about|get\s+(?:what|how)|(?:really|fully)\s+(?:know|understand|grasp)\b)"
    r"|not\s+taking\s+(?:\w+\s+){1,3}?seriously|slow\s+to\s+(?:grasp|understand|reali[sz]e)\b"
    r"|rubber[- ]stamp\w*|did\s+not\s+exercise|(?:exhibited|showed|displayed|demonstrated)"
    r"\s+(?:an?\s+)?(?:[\w-]+\s+)?(?:insufficient|inadequate|poor|lack\s+of|disregard"
    r"|indifference)"
    r"|(?:has|had|have)\s+(?:no|not\s+enough|zero|limited)\s+(?:real\s+|practical\s+)?"
    r"(?:experience|knowledge|expertise)\s+(?:with|of|in|on|about)\b"
    r"|(?:was|were|is|are)\s+(?:very\s+|so\s+|too\s+|quite\s+|visibly\s+)?nervous\b"
    r"|(?:too|very|pretty|a\s+bit|rather|overly)\s+(?:casual|lax|trigger-happy|hasty|loose"
    r"|relaxed|complacent)\s+(?:with|about)"
    r"|(?:has|had|have)\s+a\s+(?:pattern|habit|history|tendency)\s+of"
    r"|(?:his|her|their|my)\s+attention\s+(?:was|is)\s+(?:not\s+enough|insufficient|lacking"
    r"|elsewhere)"
    # Understanding found wanting, not a fact someone lacked: 'doesn't understand how
    # canary analysis works', 'didn't appreciate the blast radius'.
    r"|(?:doesn't|does\s+not|didn't|did\s+not|don't|do\s+not|not)\s+(?:\w+\s+)?(?:understand"
    r"|grasp|appreciate)\s+(?:how\b|the\s+(?:\w+\s+)?(?:blast\s+radius|risks?|consequences?"
    r"|basics|implications)\b|\w+\s+(?:\w+\s+)?well\s+enough)"
    r"|(?:isn't|is\s+not|wasn't|was\s+not|aren't|are\s+not|weren't|were\s+not)\s+(?:yet\s+)?"
    r"(?:ready|prepared|mature\s+enough)\s+(?:to|for)\b"
    r"|(?:doesn't|does\s+not|didn't|did\s+not|don't|do\s+not)\s+(?:really\s+|just\s+)?take"
    r"\s+(?:[\w-]+\s+){1,4}?seriously|(?:too\s+)?little\s+(?:[\w-]+\s+)?experience\b"
    r"|(?:disregard|indifference)\s+(?:to|for|towards)\b"
    r"|\bflustered|(?:without|not\s+(?:\w+\s+){0,2}?with)\s+the\s+(?:necessary|required"
    r"|proper)\s+(?:care|diligence)"
    r"|(?:insufficient|inadequate|poor|limited|lack\s+of)\s+(?:[\w-]+\s+)?(?:competence"
    r"|discipline|diligence|rigou?r|awareness|professionalism|skills?|understanding|knowledge"
    r"|experience|expertise|responsibility|ownership|urgency|scepticism|skepticism|vigilance|caution)"
    r"(?=\s+(?:of|on\s+the\s+part\s+of|on|by|among|from|in"
    r"|within|with|shown)\s|\s*[.,;!?]|\s*$)"
    r"|(?:lax|casual|cavalier|sloppy)\s+(?:approach|attitude)\s+(?:to|towards|toward)\b"
    r"|not\s+in\s+(?:the\s+)?(?:right|best)\s+(?:frame\s+of\s+mind|headspace)"
    r"|(?:tak|treat)(?:e|es|ing|en|ed)\s+(?:[\w-]+\s+){1,4}?(?:very\s+|too\s+|so\s+|far\s+too\s+)?"
    r"(?:casually|lightly)\b"
    r"|(?:in|with)\s+the\s+wrong\s+(?:frame\s+of\s+mind|headspace)"
    r"|winging\s+(?:it|the)\b|(?:has|had|have)\s+no\s+business\s+(?:running|touching|being|doing"
    r"|deploying|approving))",
    re.IGNORECASE,
    needs=(
        *("green", "checked", "clue", "idea", "basics", "having", "junior", "lapse", "serious"),
        *("sleep", "visibly", "stress", "pressure", "focus", "concentration", "familiar"),
        *("enough", "experience", "skill", "know", "competence", "care", "get", "rubber"),
        *("exercise", "exhibited", "showed", "displayed", "demonstrated", "casual", "lax"),
        *("trigger", "hasty", "loose", "pattern", "habit", "history", "tendency", "attention"),
        *("relaxed", "complacent", "expertise", "nervous", "lax", "cavalier", "sloppy"),
        *("winging", "business"),
        *("understand", "grasp", "appreciate", "ready", "prepared", "flustered", "diligence"),
        *("discipline", "rigo", "awareness", "professionalism", "expertise", "disregard"),
        *("indifference", "responsibility", "ownership", "urgency", "slow", "scepticism"),
        *("skepticism", "vigilance", "caution", "frame", "headspace", "casually", "lightly"),
    ),
)
TECHNICAL_AFTER = LazyPattern(
    r"^[\s-]*(?:load|loading|loaded|loader|init|initiali[sz]ation|evaluation|evaluated"
    r"|evaluates|import|imports|fetch|fetching|deletion|expiry|expiration|allocation"
    r"|connection|connect|binding|instantiation|iterator|sequence|property|attribute|mode"
    r"|writes?|replication|propagation|domain|domains|tolerance|tolerant|zone|zones|line"
    r"|loads|evaluate|initiali[sz]ed|computed|created|instantiated|fetched|evicted|resolved"
    r"|injection|isolation|terminal|pipe|client|proxy|switch|consumer|worker|val|value)\b",
    re.IGNORECASE,
)
NEGATED_BEFORE = LazyPattern(
    r"\b(?:not|no|never|nor|n't|rather than|instead of|nobody|no one|none of"
    r"|isn't|wasn't|weren't|aren't|neither|calling (?:this|it|that)|label(?:l)?ing (?:this|it"
    r"|that))\b(?:\s+[\w'-]+){0,4}\s*$",
    re.IGNORECASE,
)
NEGATED_AFTER = LazyPattern(r"^\s*(?:is|was|are|were)\s+(?:never|not|no|rarely)\b", re.I)
COPULA_BEFORE = LazyPattern(r"\b(?:is|are|was|were|being|been)\s+(?:\w+ly\s+)?$", re.I)
# What people do: "a lazy review", "a lazy workaround" judge the people who did it.
HUMAN_WORK = (
    "review|reviews|reviewing|workaround|fix|hack|work|approach|attitude|testing|analysis"
    "|investigation|answer|response|approval|engineering|documentation|handover|handoff|job"
)
PERSON_NOUN_AFTER = LazyPattern(
    r"\s+(?:[\w-]+\s+)?(?:" + "|".join(ROLE_NOUNS) + "|" + HUMAN_WORK + r")\b", re.I
)


# --- PM404: "human error" as a cause -------------------------------------------------------

HUMAN_ERROR_PHRASE = LazyPattern(
    r"\b(?:(?:human|operator|pilot)[- ](?:error|mistake|fault|typo|slip)s?"
    r"|(?:user|engineer|people|personnel|staff)[- ](?:error|mistake)(?!s)"
    r"|(?:maintainer|dev|developer|employee|admin|technician|contributor|analyst|reviewer|eng"
    r"|registrar|clinician|pharmacist"
    r"|checker|dba|sre|on-?call|dispatcher|mod|moderator|tester|nurse|(?:support|desk|helpdesk)"
    r"\s+agent"
    r"|my|someone(?:'s|\u2019s)"
    r"|somebody(?:'s|\u2019s))[- ](?:error|mistake|typo|slip)s?"
    r"|(?:typo|slip|mistake|error)s?\s+(?:made\s+)?by\s+(?:whoever|someone|somebody|a\s+member"
    r"|one\s+of\s+(?:our|the)\s+\w+"
    r"|an?\s+(?:operator|engineer|employee|admin|technician|staff\s+member))"
    r"|(?:typo|mistake|slip)\s+in\s+(?:someone|somebody)(?:'s|\u2019s)"
    r"|human[- ]factors?\s+(?:error|mistake)|people\s+make\s+mistakes|human\s+failure"
    # the same said in another word order, or by a role: 'an error human', 'an error of
    # typing', 'op error', 'mod error'
    r"|error\s+(?:human|of\s+(?:typing|keying|the\s+operator|an?\s+operator))"
    r"|(?:op|ops|mod|admin|sysadmin|cashier|clerk)[- ]error"
    r"|(?:someone|somebody)\s+(?:typos|typoed|fat-?fingers|fat-?fingered)"
    r"|pebkac|pebcak|finger trouble|id-?10-?t error|layer[- ]8 (?:issue|problem|error)"
    # a slip given as the cause: 'a manual slip', 'a copy-paste mistake', 'a mis-click',
    # 'a typing error of Nakamura-san', 'the human factor'
    r"|(?:manual|simple|human|copy[- ]?paste|typing|entry|keying|data[- ]entry)\s+(?:[\w-]+\s+)?"
    r"(?:slip|mistake|error)s?|mis-?click(?:ed|s)?|human\s+factor|(?:a|an|the|one)\s+(?:single\s+)?(?:mistyped"
    r"|fat-?fingered)\s+(?:command|value|entry|character|digit|key|hostname|ip)"
    r"|(?:slip|mistake)\s+(?:on|of)\s+the\s+(?:keyboard|finger|fingers)"
    r"|(?:slip|mistake|error)\s+on\s+(?:the\s+)?(?:[\w-]+(?:'s|\u2019s)|his|her|their|my|our)"
    r"\s+part|humans?\s+(?:being\s+)?(?:make|made|makes)\s+(?:a\s+)?(?:mistakes?|slips?|errors?)"
    r"|clerical\s+(?:error|mistake)s?|man-?made\s+(?:error|mistake|fault)s?"
    r"|(?:operator|human|staff|manual|personnel|user)\s+mis-?operations?"
    r"|weak(?:est)?\s+link\s+(?:was|is)\s+(?:the\s+)?(?:human|person|operator|people|engineer)"
    r"|(?:typo|slip|mistake|error)\s+of\s+(?:someone|somebody|the\s+user|a\s+user|the\s+operator))\b",
    re.IGNORECASE,
    needs=(
        *("human", "operator", "pilot", "user", "engineer", "people", "personnel", "staff"),
        *("pebkac", "pebcak", "finger", "10", "layer", "slip", "slips", "mistake", "mistakes"),
        *("error", "errors", "click", "clicked", "misclick", "misclicked", "factor", "mistyped"),
        *("fat-fingered", "fingered", "typo", "fat-finger", "clerical", "misoperation"),
        *("mis", "weak", "fault"),
    ),
)
# Slips only a person makes, told as what they typed: 'mistyped the selector', "typo'd the
# zone name", 'typed prod when they meant prd-test', 'keys 1.25 instead of 1.025'. Apart from
# HUMAN_ERROR_PHRASE: their words are rare, and the sentences without one are skipped.
SLIP_TYPED = LazyPattern(
    # ('fat-fingered the count' is PM402's and PM403's already.)
    r"\b(?:(?:mis-?typed|mis-?keyed|typo'?d|typoed)\s+(?:the|a|an|his|her|their"
    r"|my|our|it|\d)"
    r"|(?<![-\w])(?<!to\s)(?:typed|keyed|keys)\s+(?:[^\s;!?]+\s+){0,4}?(?:instead\s+of"
    r"|in\s+place\s+of|when\s+(?:they|he|she|i|we)\s+meant)|typed\s+where)\b",
    re.IGNORECASE,
    needs=("typed", "keyed", "keys", "typo"),
)
METRIC_AFTER = LazyPattern(
    r"^[\s-]*(?:rate|rates|count|counts|budget|ratio|metric|metrics|code|codes|response"
    r"|responses|message|messages|page|pages|log|logs|dashboard|spike|percentage|class"
    r"|classes|handling|path|paths|state|screen|toast|banner|types?|category|categories)\b",
    re.IGNORECASE,
)


# --- PM405: actions aimed at a person ------------------------------------------------------

# Records and sanctions kept about people: a finding when the sentence is about a person.
SANCTION = LazyPattern(
    r"\b(?:(?:formal|final|written|verbal)\s+(?:written\s+)?warning|disciplinary(?:\s+\w+)?"
    r"|conduct\s+(?:policy|interview|review|hearing|process)"
    r"|performance[\s-]+(?:review|management|improvement\s+plan|objectives|note|file|record"
    r"|conversation|discussion|evaluation|assessment)s?"
    r"|as\s+a\s+performance\s+concern"
    r"|(?:deduct|dock)\w*\s+(?:[\w'\u2019-]+\s+){0,4}?(?:score|rating|bonus|pay|points)"
    r"|(?:non-?compliance|offenders?|violators?|(?:he|she|they))\s+(?:will|shall)\s+be\s+dealt\s+with"
    r"|slap\s+on\s+the\s+wrist"
    r"|(?:formal|disciplinary)\s+(?:conversation|talk)\s+with"
    r"|commitment\s+letter|(?:written|personal)\s+(?:pledge|undertaking)"
    r"|(?:written|personal)\s+(?:self-?)?reflection"
    r"|(?:self-?)?(?:reflection|criticism)\s+(?:report|letter|paper|essay)"
    r"|personnel\s+file"
    r"|appraisal"
    r"|capability\s+(?:review|meeting|assessment|process)"
    r"|competency\s+(?:re-?)?(?:assessment|review|check)|hr\s+(?:review|process|investigation)"
    r"|name\s+and\s+shame|hall\s+of\s+shame|as\s+penance|deploy[- ]ban\w*"
    r"|(?:is|are|be|been|being)\s+banned\s+from|on\s+probation"
    r"|perf(?:ormance)?\s+(?:review|file)|review\s+cycle|bonus\s+pool|hr\s+note"
    r"|(?:probation|development|annual|mid-?year)\s+review|calibration|watch\s*list"
    r"|note\s+(?:in|to)\s+(?:the\s+)?(?:[\w'\u2019-]+\s+){0,2}?(?:file|evaluation)"
    r"|(?:reported|escalated?)\s+to\s+(?:their|his|her|\w+(?:'s|\u2019s))\s+manager"
    r"|(?:has|have)\s+consequences|ended\s+the\s+contract|moved\s+to\s+a\s+different\s+team"
    r"|end(?:ing|s)?\s+the\s+contract\s+(?:with|of)\s+(?:the\s+|our\s+)?(?:[\w-]+\s+)?(?:contractor"
    r"|freelancer|consultant|engineer|developer)"
    r"|(?:personal|individual)\s+development\s+plan"
    r"|development\s+plan\s+(?:in\s+place\s+)?(?:with|for)\s+(?:him|her|them)\b"
    r"|counsel(?:l)?ing\s+(?:note|session|conversation)|reprimand\w*"
    r"|(?:yearly|annual|performance)\s+(?:evaluation|appraisal|review)\s+of)\b",
    re.IGNORECASE,
)
# A person losing access, rights or duties: "revoke Sam's rights", "Sven's access will be
# revoked".
_ACCESS = (
    r"(?:access|rights|privileges|permissions|creds|credentials|on-?call|rotation|rota|duties"
    r"|authority|deployers|approvers|admins|entitlements)"
)
_TAKEN = (
    r"(?:remov\w*|suspend\w*|revok\w*|withdr[ae]wn?|withdraw\w*|restrict\w*|los[et]s?|lost"
    r"|strip\w*|taken?\s+off|pull(?:ed|s)?\s+\S+\s+off|off|pull(?:ed|s)?\s+from"
    r"|stood\s+down\s+from|barred\s+from|pulled)"
)
ACCESS_LOSS = LazyPattern(
    rf"\b{_TAKEN}\b(?:\s+[@\w'\u2019.-]+){{0,6}}?\s+{_ACCESS}\b"
    # 'is getting his ban permissions pulled'
    rf"|\b(?:get|gets|getting|got|have|has|having)\s+(?:his|her|their)\s+(?:[\w-]+\s+){{0,2}}?"
    rf"{_ACCESS}\s+{_TAKEN}"
    rf"|\b{_ACCESS}\b(?:\s+[\w'\u2019.-]+){{0,6}}?\s+(?:will\s+be|is\s+to\s+be|are\s+to\s+be"
    rf"|to\s+be|has\s+been|have\s+been|is|are)\s+{_TAKEN}",
    re.IGNORECASE,
)
# Retraining, supervising or making a person answer for what happened.
RETRAINING = LazyPattern(
    r"\b(?:re-?train\w*|refresher|remedial|re-?attest\w*|re-?educat\w*"
    # a person sent back to the documents ('the new owner re-reads the offsets' is Kafka's)
    r"|re-?read\s+(?:and\s+[\w-]+\s+(?:off\s+)?(?:on\s+)?)?(?:the\s+|our\s+|all\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:runbooks?|docs|documentation|polic(?:y|ies)|procedures?|guides?"
    r"|handbook|playbooks?|checklists?|standards?|rules|sops?)\b"
    # (a person re-certified, not a procedure or a drive: 're-certify the backup procedure')
    r"|(?:re-?certif|re-?accredit|re-?qualif)\w*+(?!\s+(?:the|a|an|our|its|all|new)\b)"
    # counselling a person: 'to counsel the staff concerned', 'to be counselled'
    r"|counsell?(?:ed|ing)\b(?!\s+(?:note|session|conversation|patience|caution|calm|against))"
    r"|(?<=\bto\s)counsel\b|(?<=\bwill\s)counsel\b|(?<=\bmust\s)counsel\b"
    r"|shadowed\s+by\s+(?:a\s+|an\s+|the\s+|their\s+|his\s+|her\s+)?(?:senior|lead|manager|mentor"
    r"|colleague|experienced)"
    r"|(?:get|gets|with|assigned)\s+a\s+buddy\b"
    r"|co-?sign(?:ed)?\s+by\s+(?:a|an|the)\s+(?:senior|staff|lead|principal|manager)"
    # a person made to put their word in writing: 'sign a statement that they will test …'
    r"|sign(?:s)?\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:statement|paper|declaration|pledge"
    r"|acknowledge?ment|undertaking)\b"
    r"|what\s+went\s+wrong\s+in\s+(?:his|her|their)\b"
    r"|supervis(?:ed|ion)|shadow(?:s|ing)?\s+(?:a|an|the|one|his|her|their|me|us|someone)\b"
    r"|(?<=\bto\s)shadow\b|(?<=\bwill\s)shadow\b|(?<=\bmust\s)shadow\b|approved\s+personally\b"
    r"|written\s+explanation"
    r"|personally\s+(?:approv\w*|sign\w*|review\w*|validat\w*|check\w*|verif\w*)"
    r"|(?:validated|checked|verified)\s+personally\b|(?:my|his|her|their)\s+personal\s+(?:\+1|ok|okay|approval)"
    r"|with\s+someone\s+watching"
    r"|(?:obtain|get|gets|need|needs|require|requires)\s+(?:explicit\s+)?(?:manager|lead)"
    r"(?:'s|\u2019s)?\s+(?:sign-?off|approval)"
    r"|(?:sign-?off|approval)\s+from\s+(?:his|her|their)\s+(?:manager|lead)"
    r"|(?:personal|written|explicit)\s+(?:sign-?off|approval|thumbs-up)"
    r"|(?:sign-?off|approval|thumbs-up)\s+(?:of|from)\s+(?:(?:his|her|their|the)\s+)?"
    r"(?:line\s+)?(?:manager|team\s+lead|lead|vp|senior|em|me|(?:staff|senior|principal)"
    r"\s+engineer)\b"
    r"|(?:em|manager|lead|senior)(?:'s|\u2019s)?\s+(?:personal\s+)?sign-?off"
    r"|(?:countersigned|approved)\s+by\s+(?:a|the|his|her|their)\s+(?:senior|lead|team\s+lead"
    r"|manager)|i\s+want\s+to\s+(?:personally\s+)?(?:approve|sign\s+off\s+on)|watching\s+over\s+(?:his|her|their)"
    r"\s+shoulder|(?:(?<=\bwill\s)pair|(?<=\bto\s)pair|(?<=\bmust\s)pair|paired|pairs"
    r"|work(?:s|ing)?\s+together|w/|in\s+couple)\s+(?:(?:with|w/)\s+)?"
    r"(?:a|an)\s+senior|shadows?\s+\w+\s+on|is\s+not\s+to\s+touch"
    r"|(?:doesn't|does\s+not|won't)\s+get\s+to\s+deploy"
    r"|(?:1:1|one-on-one|1-on-1|talk)\s+(?:with|w/)\s+(?:\w+\s+)?(?:manager|lead|em)\b"
    r"|(?:1:1|one-on-one|1-on-1)\s+between\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:manager|lead|em)\b"
    r"|pair(?:s|ing)?\s+(?:with\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){0,3})?on\s+(?:every|all|each)"
    r"|accompanied\s+by\s+a\s+senior|personal\s+statement|letter\s+of\s+explanation"
    r"|(?:personal\s+)?apolog(?:y|ise|ize)|what\s+(?:he|she|they)\s+did\s+wrong"
    r"|present\w*\s+(?:this|the|a)\s+(?:personal\s+)?(?:post-?mortem|incident|lessons|failure"
    r"|mistake)"
    r"|(?:his|her|their)\s+mistake)",
    re.IGNORECASE,
)
# A named person sent on a course: training for everyone is a change to how all work.
COURSE = LazyPattern(
    r"\b(?:(?:attend|complete|take|retake|undergo|do|redo|repeat|receive|be\s+given|get)\w*"
    r"|pass(?:es|ed|ing)?|go(?:es)?\s+through)"
    r"\s+(?:[\w'-]+\s+){0,4}?"
    r"(?:training|course|certification|workshop|onboarding|exam|bootcamp|induction|module)\b"
    # what the course is run on or with ('the onboarding call', 'the exam portal')
    r"(?!(?<=onboarding)\s+(?:of|for)\b)"
    r"(?!\s+(?:call|meeting|session|docs?|guide|flow|page|environment|env|service|server"
    r"|system|tool|form|portal|api|data|results?|cluster|pipeline))",
    re.IGNORECASE,
)
# Asking people to try harder: the system stays as it was.
EXHORTATION = LazyPattern(
    r"\b(?:(?:be|being|are|is)\s+(?:more|extra|very)\s+(?:careful|attentive|thorough|vigilant"
    r"|diligent|cautious|aware)|pay\s+(?:more\s+|closer\s+|better\s+)?attention"
    r"|(?:greater|more|extra)\s+(?:diligence|care|caution|attention|carefulness|professionalism"
    r"|discipline|rigou?r)"
    r"|(?:must|should|please|always|remember\s+to|needs?\s+to)\s+(?:double|triple)-?check"
    r"|importance\s+of\s+double-?checking"
    r"|check\s+(?:two\s+times|twice)|think\s+twice|take\s+more\s+care"
    r"|remind(?:ed|s|ing)?(?:\s+[\w-]+){0,3}\s+(?:people|everyone|engineers|developers|operators"
    r"|staff|the\s+team|all|them|team|on-?call|rota|shift|crew|personnel|hands|devs|sres|dbas"
    r"|analysts|admins|reviewers|responders|contractors|testers)\b"
    r"|reminder\s+to\s+(?:be|take|pay|double|think|slow)\b"
    r"|(?:send|sent|sending|issue|issued|given)\s+(?:a\s+|an\s+)?(?:(?:written|firm|stern|formal)\s+)?"
    r"reminder"
    r"|(?:written|firm|stern|strong)\s+reminder\s+(?:of\s+(?:their|his|her)|to\s+(?:all|every|the"
    r"\s+(?:team|staff)))\b"
    r"|(?:hands|everyone|staff|personnel|engineers|operators|team)\s+(?:(?:were|are|have\s+been"
    r"|will\s+be)\s+reminded\b|reminded\s*:)"
    r"|(?:be|been|are|were)\s+reminded\b"
    r"|formal\s+reminder"
    r"|stress\s+to\s+the\s+team|reinforce\s+(?:to|that)"
    r"|(?:can't|cannot|can\s+not|must\s+not|mustn't|won't)\s+happen\s+again"
    r"|look\s+at\s+what\s+you're"
    r"|(?:need|needs|must|should|have\s+to)\s+(?:to\s+)?be\s+better\s+at"
    r"|(?:needs?|should|must|to)\s+(?:[\w/]+\s+){0,3}?more\s+carefully"
    r"|emphasi[sz]e\s+the\s+importance\s+of\s+(?:strictly\s+)?(?:adhering|following|being)"
    r"|(?:everyone|people|engineers|we)\s+(?:needs?|must|should)\s+to\s+(?:slow\s+down|be\s+careful)"
    r"|(?:ask|asked|asking|tell|told)\s+(?:everyone|everybody|people|engineers|developers|staff"
    r"|the\s+team|all\s+\w+)\s+to\s+(?:double-?check|be\s+(?:more\s+)?careful|check\s+twice"
    r"|pay\s+(?:more\s+)?attention|slow\s+down|take\s+(?:more\s+)?care))",
    re.IGNORECASE,
)
# A person's own work held back until they earn it again, or run past someone: "@jpark
# should not merge … without a second review", "Marco doesn't deploy anymore", "Jess has
# to run every billing change past me". The detector asks that a person is the subject.
RESTRICTED = LazyPattern(
    r"\b(?:(?:should|will|would|must|may|can|does|do|is|are|shall)(?:\s+not|n't|n\u2019t)"
    r"|won't|won\u2019t|cannot|(?:(?:will|would|should|shall|can|may)\s+)?no\s+longer)\s+"
    r"(?:(?:be\s+)?allowed\s+to\s+\w+|be\s+(?:scheduled|rostered)|(?:get\s+to\s+|be\s+)?"
    r"(?:merg|deploy|ship|releas|push|cut|touch|run|approv|commit|chang|edit|access|handl"
    r"|work|operat|carry|hold|be\s+on|go\s+on|get|do|be\s+assigned|be\s+put"
    r"|have\s+(?:root|access|admin|write|deploy|prod|sudo))\w*)\b[^.;!?]{0,80}?\b(?:until|unless"
    r"|without|anymore|any\s+more|again|alone|unsupervised|going\s+(?:forward|fwd)|from\s+now\s+on|for\s+the"
    r"\s+next|for\s+now|for\s+a\s+while|for\s+(?:next|one|two|three|four|six|\d+)\s+(?:weeks?"
    r"|months?|quarters?|sprints?))\b"
    r"|\bbefore\s+(?:you|he|she|they|[\w@.-]+)\s+(?:(?:is|are)\s+allowed\s+to\s+|gets?\s+to\s+)?"
    r"(?:touch|deploy|merge|push|run|release|get|gets|go)\w*\b[^.;!?]{0,60}?\b(?:again|back)\b"
    r"|\b(?:has|have|will\s+have|needs?|will\s+need|must|(?:is|are|will\s+be)\s+required"
    r"|is\s+to|are\s+to)\s+to\s+(?:[\w-]+\s+){0,6}?(?:past\s+me|by\s+me\b|sign-?off|signed"
    r"\s+off|attest|approval\s+(?:of|from)|countersign)"
    r"|\b(?:get|gets|obtain|obtains|need|needs|require|requires)\s+(?:an?\s+)?(?:explicit\s+)?"
    r"(?:second\s+)?(?:[\w-]+(?:'s|\u2019s)\s+|(?:mgr|manager|tl|em|vp)\s+)?(?:sign-?off|approval"
    r"|signature)\b"
    r"|\b(?:will|shall|can|may)\s+no\s+longer\s+(?:be\s+(?:allowed|permitted)\s+to\s+)?"
    r"(?:approv|deploy|merg|ship|releas|push|touch|access|operat|perform|apply)\w*\b",
    re.IGNORECASE,
)
# What is done to a person, never to a system: "placed under observation", "a note in
# Ruth's review", "is off primary next week", "sit in on the next three launches".
DONE_TO_A_PERSON = LazyPattern(
    r"\b(?:under\s+(?:close\s+)?observation|sit\s+in\s+on|allowed\s+back|(?:access|rights"
    r"|entitlements|privileges|permissions)\s+(?:\w+\s+){0,2}?(?:back|again)\b|reminded\s+in"
    r"\s+writing|(?:obligation|duty)\s+to\s+exercise|due\s+care|(?:note|mark|flag|write-?up)"
    r"\b[^.;!?]{0,40}?\s(?:in|on)\s+(?:[\w.-]+(?:'s|\u2019s)|his|her|their)\s+(?:\w+\s+){0,2}?(?:review|file"
    r"|record)|removed\s+from\s+(?:all\s+)?(?:work|duties|the\s+rota|the\s+account)"
    r"|relieved\s+of\s+(?:(?:his|her|their|all|the)\s+)?(?:[\w-]+\s+){0,2}?(?:duties|duty"
    r"|command|responsibilities|post|role)\b"
    r"|removed\s+from\s+(?:the\s+)?(?:[\w'\u2019-]+\s+){0,3}?(?:personnel|duty|on-?duty"
    r"|on-?call|approved|authori[sz]ed|deployers?|approvers?|staff)\s+(?:list|register|roster)\b"
    # "a maintainer who stepped back from the project" says who someone is.
    r"|(?<!who\s)step(?:s|ped|ping)?\s+(?:back|away|down)\s+from"
    r"|(?:his|her|their|my|[\w.-]+(?:'s|\u2019s))\s+"
    r"(?:annual|mid-?year|year-?end|quarterly|next)\s+(?:performance\s+)?review"
    # a person off a rota; a host 'removed from rotation' is a load balancer's
    r"|(?:removed|taken|pulled|pulling|kept)\s+(?:off|from|out\s+of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:roster|rota|(?:on-?call|pager|support)\s+rotation)\b"
    r"|(?:removed|suspended|excluded|barred)\s+from\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:approvals|approvers|on-?call|deploy\s+rights)\b"
    r"|(?:moved|taken|pulled|rotated)\s+off\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:shifts?|on-?call)\b"
    r"|pull\s+[\w@.-]+\s+(?:off|from)\s+(?:the\s+)?on-?call|reassigned\s+away\s+from"
    r"|(?:is|are|be|was)\s+off\s+(?:primary|secondary|(?:the\s+)?(?:weekend\s+)?pager|on-?call"
    r"|the\s+rota)|(?:take|taking|took|takes|taken)\s+(?:myself|himself|herself|themselves)"
    r"\s+off|formal\s+write-?up|pending\s+(?:an?\s+)?(?:internal|hr|disciplinary)\s+review"
    r"|reflected\s+in\s+(?:the\s+)?(?:individual|engineer|employee|person)(?:'s|\u2019s)"
    r"|reflected\s+in\s+(?:the|his|her|their)\s+(?:\w+\s+)?(?:evaluation|appraisal)"
    # a control on one person's own work: 'a second reviewer on all his PRs'
    r"|(?:second|extra|additional)\s+(?:review|reviewer|approval|approver|pair\s+of\s+eyes)s?"
    r"\s+(?:on|for)\s+(?:all\s+|every\s+|each\s+)?(?:of\s+)?(?:his|her|their|[\w.-]+(?:'s|\u2019s))"
    r"\s+(?:own\s+)?(?:prs?|pull\s+requests?|changes?|deploys?|deployments?|commits?|merges?))",
    re.IGNORECASE,
)
# Before a lost access, a narrated past, not an action: "the account was suspended".
NARRATED_PAST = LazyPattern(r"\b(?:was|were)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
# Right before an action: "no disciplinary action", "not as a remedial measure".
PERSON_TARGETED_NEGATED = LazyPattern(
    r"\b(?:(?:not|no|never|nor)\s+(?:(?:as|a|an|any|the|for|of|be|being)\s+)*"
    r"|(?:nobody|no\s+one|none\s+of\s+(?:us|them))\s+(?:gets?|got|is|was|will\s+be)\s+)$",
    re.IGNORECASE,
)
# An action aimed at a person is a finding unless the sentence sets it aside.
SET_ASIDE = LazyPattern(
    r"\b(?:rather\s+than|instead\s+of|not\s+(?:just|by)|no\s+amount\s+of|relying\s+on"
    r"|rely\s+on|depend\w*\s+on|rejected|decided\s+against|ruled\s+out)\b",
    re.IGNORECASE,
)


# PM405's patterns, each with the words one of which every match holds: a sentence is read
# by the patterns whose words it holds.
PERSON_TARGETED_ANCHORS = {
    SANCTION: word_set(
        """warning disciplinary conduct performance personnel appraisal capability competency
        hr shame penance ban bans banned deployban probation perf cycle bonus reported
        escalate escalated consequences contract moved development annual mid midyear
        calibration watch watchlist note counselling counseling reprimand reprimanded
        reprimands yearly evaluation deduct deducted deducting dock docked dealt slap
        conversation talk commitment pledge undertaking reflection criticism"""
    ),
    ACCESS_LOSS: word_set(
        "access rights privileges permissions creds credentials call oncall rotation rota duties"
        " authority deployers approvers admins entitlements"
    ),
    RETRAINING: word_set(
        """personal written explicit thumbs-up sign sign-off signoff approval countersigned
        approved personally shoulder paired shadow touch deploy
        retrain retrained retraining train trained training refresher remedial reread read
        reattest attest attested reattested educate educated education reeducate reeducated
        reeducation supervised supervision shadow shadows shadowing watching
        manager lead apology apologise apologize wrong present presents presented presenting
        pair
        pairs pairing mistake want em accompanied statement explanation failure senior
        re recertify recertified recertification reaccredit reaccredited reaccreditation
        requalify requalified requalification counsel counselled counseled counselling
        counseling shadowed buddy cosign cosigned co sign signed signs"""
    ),
    COURSE: word_set(
        "training course certification workshop onboarding exam bootcamp induction module"
    ),
    RESTRICTED: word_set(
        """until unless without anymore again forward fwd now me sign signoff signed attest
        approval countersign next while back alone unsupervised longer more signature weeks
        months quarters sprints"""
    ),
    DONE_TO_A_PERSON: word_set(
        """observation sit allowed access rights entitlements privileges permissions writing
        exercise care note mark flag write writeup removed off pending reflected step steps
        stepped stepping annual mid midyear year yearend quarterly next roster rota rotation
        schedule taken second extra additional suspended excluded barred evaluation
        appraisal pull reassigned pulled pulling kept relieved"""
    ),
    EXHORTATION: word_set(
        """careful attentive thorough vigilant diligent cautious aware attention diligence care
        caution check doublecheck checking twice times remind reminder stress reinforce again
        look better carefully emphasize emphasise slow reminded reminds reminding carefulness
        professionalism discipline rigour rigor"""
    ),
}


# --- the words a detector needs ------------------------------------------------------------

# Words without which a detector cannot match: most prose has none of them, and one set
# intersection is far cheaper than running a detector's patterns over the text.
TRIGGERS = {
    COUNTERFACTUAL: word_set(
        """should shouldn't should've ought oughtn't could couldn't could've would wouldn't
        would've only needed had i'd we'd you'd he'd she'd they'd supposed meant expected
        responsible responsibility job required obliged tasked duty task"""
    ),
    INDIVIDUAL: word_set(
        """forgot forgets forgetting forgotten neglected neglects overlooked tired exhausted
        fatigued distracted asleep sleepy drowsy careless sloppy rushing rushed inattentive
        hungover unfocused attention careful focused hurry impatient unaware aware negligent
        contrary
        lazy reckless incompetent irresponsible clueless wrong incorrect mistaken mistyped
        fingered misread misjudged mishandled misconfigured misremembered botched bungled
        fumbled goofed messed screwed slipped blundered mistake mistakes typo typos slip
        blunder oversight accidentally mistakenly inadvertently unintentionally wrongly
        erroneously carelessly ball bothered bad broken faulty buggy untested unreviewed
        invalid malformed half instead ignored bypassed circumvented disregarded dismissed
        snoozed overrode blame fault failed missed misses not didn't didnt never skipped broke
        caused responsible introduced without cause triggered negligence carelessness lapse
        removed deleted dropped disabled exhausted overloaded corrupted wiped took brought shut
        scaled truncated overwrote killed terminated rebooted restarted made makes make
        because culprit trigger attributable attributed traceable traced thanks lies rests
        originated begins began initiated precipitated reason who followed respected nothing
        groggy rattled hopeless attentive rigorous diligent thorough causing triggering
        breaking beginning causes breaks deletes drops disables brings triggers corrupts wipes
        locks crashes kills truncates
        hasn't haven't slept sleeps created crashed leaked locked flooded filled erased identify
        identified establish established determine determined find figure track
        whoever person mistypes misreads misjudges mishandles overlooks botches fumbles does
        doesn hasn haven fails ignores bypasses disregards snoozes skips breaks takes worse started
        starts came comes regression nuked cut expire lapse stale due stemmed stems resulted
        destroyed clobbered trashed crash crashes collapsed collapses spikes spiked
        sat sits brushed brushes waved waves failure rush
        climbs climbed fell falls
        result trace traces down problem kicked shoving overloading flooding knocking owing
        bc results renewed rotated reverted root ball exposed skimmed skims why dark blank
        offline"""
    ),
    JUDGEMENT: word_set(
        """careless carelessly carelessness negligent negligently negligence sloppy sloppiness
        lazy laziness lazily incompetent incompetence incompetently reckless recklessly
        recklessness irresponsible irresponsibly irresponsibility inattentive inattention
        inattentiveness panics business
        clueless thoughtless thoughtlessly thoughtlessness foolish foolishly foolishness stupid
        stupidity stupidly dumb idiot idiotic idiots boneheaded moronic amateurish
        unprofessional complacent complacency complacence cowboy ball fat fatfinger fatfingered
        fatfingering fatfingers bother bothered fault blame better rookie newbie mistake lack
        attention depth wheel lacked lacks junior inexperienced overconfident overconfidence
        competent detail-oriented concentrated qualified panicked panicking overwhelmed
        indecisive disorganised disorganized half-asleep paying judgement judgment inexcusable
        unacceptable embarrassing amateur beginner beginner's cavalier cavalierly finest
        despite bad cool temper head green checked clue careful idea basics having lapse sleep
        visibly stress pressure focus concentration
        unfamiliar familiarity experienced skilled senior experience skills knowledge care
        rubber exercise exhibited showed displayed demonstrated insufficient inadequate poor
        seriously understand grasp appreciate ready prepared maturity flustered little
        necessary diligence reliable responsible trustworthy mature competence undertrained
        under-trained untrained unqualified asleep over casual lax trigger-happy hasty loose
        pattern habit history tendency doing froze relaxed complacent disregard indifference
        responsibility ownership unfamiliarity oriented expertise nervous know slow urgency
        indecisiveness inexperience professional rigour rigor winging approach attitude
        scepticism skepticism vigilance caution get frame headspace casually lightly technical
        knowledgeable trained thorough unreliable unreliability hastily awareness discipline
        sensitive vigilant cautious diligent rigorous focused consciousness impatient
        arrogant frazzled thinking sharp"""
    ),
    HUMAN_ERROR: word_set(
        """error errors mistake mistakes fault faults pebkac pebcak trouble id10t 10 8 slip
        slips mis-click misclick click clicked misclicked factor mistyped fat-fingered
        fingered typo typos typoed fingers factors failure typed type types keyed keys
        miskeyed mis-keyed mis-typed clerical typo'd misoperation misoperations mis weak
        weakest"""
    ),
    PERSON_TARGETED: frozenset().union(*PERSON_TARGETED_ANCHORS.values()),
}
# In Root Cause Analysis a named person's neutral action is a cause too.
RCA_TRIGGERS = TRIGGERS[INDIVIDUAL] | word_set(
    CAUSAL_ACTION.replace("|", " ")
    + " by change commit deploy deployment pr pull request script command config edit"
    " migration query push merge decision action patch"
)
# Words of a fault (not of a neutral act, which only Root Cause Analysis reads as a cause).
FAULT_TRIGGERS: frozenset[str] = frozenset().union(*TRIGGERS.values())
# Every word some detector needs: a sentence without one holds no finding.
ALL_TRIGGERS = RCA_TRIGGERS | FAULT_TRIGGERS
