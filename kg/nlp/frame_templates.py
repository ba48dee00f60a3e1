"""The constructions that frames expand into: templates in the pattern language of `relations`.

`{S}` / `{O}` are the subject and object slots (typed by the property's domain and range), `{T}`
the trigger, `{P}` an entry's preposition, `{C}` its coverbs, `{L}` the light verbs, `{A}` / `{NA}`
what must / must not follow the object, `{SH}` what must follow the subject, `{OWN}` another maker's
name before an item and `{NP}` the guard against a possessor read as the object.
"""

from __future__ import annotations

# Fillers between a trigger and its object: a few words, no entity, no clause break.
FILL_EN = r"(?:[^\uE000\uE001;!?,]|(?<=\d),(?=\d)){0,40}?"
# a `tight` frame, and every converse one after its preposition, allows determiners and numbers only
TIGHT_EN = (
    r"(?:\s*\b(?:the|a|an|its|their|his|her|some|several|more than|about|over|up to|[\d,.]+|\w+ly|"
    r"[A-Za-z]+-(?:run|owned|backed|controlled|funded|based)|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|twelve|hundred|thousand|million|billion|"
    r"(?:tens of )?(?:dozens|hundreds|thousands|millions) of)\b)*\s*"
    # … and a descriptor of the company: `acquire server maker X`, `backed rival chip startup X`
    r"(?:(?:[A-Za-z][\w-]*\s+){0,4}?(?:maker|makers|startup|start-up|designer|developer|company|firm|"
    r"provider|supplier|specialist|rival|vendor|group|giant|unicorn|chipmaker|foundry|fund|investor|backer|"
    r"shareholder|lender|partner|customer|platform|network|service|app|marketplace)s?\s+"
    # … which may name its members: `from investors including X`, `from suppliers such as X`
    r"(?:(?:including|such as|like|led by)\s+)?)?"
)
# the object described by its relation to another: `invest in its rival X`, `backs Nvidia's partner X`
OWNED_EN = (
    r"(?:\uE000[CO]\d+\uE001\s*(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:rival|partner|supplier|customer|competitor|"
    r"subsidiary|unit|affiliate|peer|backer|investor|arch-?rival)s?\s+)?"
)
# … and an organization named by its owner: `led by SoftBank's Vision Fund` (the fund led it)
TIGHT_EN += OWNED_EN + r"(?:\uE000[CO]\d+\uE001\s*(?:'s|’s)\s+(?=\uE000[CO]))?"
# a period after a name: 2025年, 2025年度1-9月, 2024年上半年, 2025年第三季度
PERIOD_ZH = (
    r"(?:\d{4}年度?(?:\d{1,2}\s*[-—~至]\s*\d{1,2}月|\d{1,2}月|[上下]半年|第?[一二三四1-4]季度|前三季度)?)"
)
# an organization's investing unit after its name: 小米战略投资部, 腾讯产业基金
UNIT_ZH = r"(?:[^\uE000\uE001，,。；;、\d]{0,6}?(?:投资部|投资部门|产业基金|战投|投资平台))?"
FILL_ZH = r"[^\uE000\uE001。；;！？，,]{0,12}?"
CLAUSE_GAP_ZH = r"[^\uE000\uE001。；;！？，,]{0,6}?"  # a few characters, no entity, no clause break
# Before a chip or product the filler may hold its maker: `uses Nvidia's H100`, `采用英伟达的 H100`
# (a coordinated name is no owner, `competes with Nvidia and AMD` has two objects; nor is one a
# preposition or a pronoun away: `take on Nvidia with its X1`)
OWNER = (
    r"(?:\uE000[CO]\d+\uE001\s*(?:'s|’s|’|的)?\s*"
    r"(?:(?!(?:and|or|plus|as well as|with|its|their|his|her|to|for|in|on|at|by|from|of|as|than|that|which|while|but)\b)"
    r"[A-Za-z][\w-]*\s+){0,2}?)?"
)
# a possessive ending, the plain apostrophe only before a space (`Lumora Systems' CEO`) …
POSS_MARK = r"(?:'s|’s|’|'(?=\s))"
# … and with the relative pronoun that is one: `Cerebras, whose WSE-3 chip …`
POSS_EN = r"(?:" + POSS_MARK + r"|,\s+whose)"
# where a pronoun may stand (`trains its models on`, `buys most of its memory from`)
ANY_EN = r"[^;!?,]{0,40}?"
# … but not across a verb of saying: `analysts who follow X say a rival designs Y` (X designs nothing)
AUX_EN = (
    r"(?:(?:(?!\b(?:says?|said|told|tells?|thinks?|believes?|argues?|argued)\b)[^\uE000\uE001;!?]){0,45}?\b)?"
)
# between an object and a converse verb: shorter, and within one clause
NEAR_EN = r"(?:[^\uE000\uE001;!?,]{0,30}?\b)?"
# a Chinese subject is not the object of a coverb (百度向华为订购: 华为 does not order)
# (traditional script too: 從 與 為 給 對 幫)
NOT_COVERBED = r"(?<![向从与和同跟为给对被由把替帮從與為給對幫])"


def _not_after_words(*words: str) -> str:
    """What follows none of these words and a space (fixed-width lookbehinds, one per word)."""
    return "".join(rf"(?<!\b{w}\s)" for w in words)


# a verb form right after a determiner or a verb of getting is a noun: `raised funding from`,
# `secured new funds from`, `the backing`
NOMINAL_BEFORE = _not_after_words(
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "new",
    "fresh",
    "more",
    "additional",
    "raise",
    "raised",
    "raises",
    "raising",
    "secure",
    "secured",
    "secures",
    "securing",
    "receive",
    "received",
    "receives",
    "receiving",
    "get",
    "got",
    "gets",
    "obtained",
    "attracted",
    "landed",
    "won",
    "closed",
    "announced",
    "completed",
    "sought",
    "seeking",
)
# the object of a verb of deals is no subject of a verb after it: in `SoftBank bought Arm in 2016 and
# owns a stake in …` Arm owns nothing
OBJECT_BEFORE = _not_after_words(
    "bought",
    "buy",
    "buys",
    "buying",
    "acquired",
    "acquire",
    "acquires",
    "acquiring",
    "backed",
    "backs",
    "funded",
    "funds",
    "owns",
    "sold",
    "sells",
    "hired",
    "joined",
    "joins",
    "beat",
    "beats",
    "overtook",
    "sued",
    "sues",
    "replaced",
    "replaces",
    "rivals",
    "licensed",
)
# items named after a comma, their kind before it: 采购了大量芯片，包括A100和H100; 投资了多家公司，如X
EXAMPLES_AFTER_ZH = (
    r"(?:(?:芯片|晶片|显卡|GPU|产品|公司|企业|处理器|加速卡|服务器)\s*[，,]\s*(?:其中)?"
    r"(?:包括|包含|例如|比如|尤其是|特别是)\s*)?"
)
# a name given after its description: `, an accelerator called the X`
CALLED_EN = (
    r",?\s*(?:(?:an?|the)\s+(?:[\w-]+\s+){0,4}?)?\b(?:called|named|dubbed|code-?named|known as)\s+(?:the\s+)?"
)
OPEN_CO = "\ue000[CO]\\d+\ue001"

# an English bare verb is a verb only after a modal, `to` or a negation (`the design` is a noun)
MODALS = r"(?:to|will|would|can|could|may|might|must|should|shall|did|does|do|not|n't|also|jointly|now|then)\s+(?:\w+ly\s+)?"

# kind -> (language, template, which slot is the subject of the emitted triple)
# `{S}` / `{O}`: the subject / object slot of the property; `{T}` the trigger; `{P}` the
# preposition the entry asks for (or nothing); `{C}` the coverbs of a Chinese entry.
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "verb": [
        # `Humain, backed by X`: a participle before `by` is the passive's, not this frame's
        (
            "en",
            # an appositive may stand between the subject and its verb: `Humain, backed by X, uses …`
            OBJECT_BEFORE
            + r"{S}{SH}(?:\s*,[^,;!?]{1,90},)?"
            + AUX_EN
            + NOMINAL_BEFORE
            + r"(?<!-)"  # `SoftBank-backed loans`: a compound adjective, not the verb
            + r"{T}(?!\s+by\b)(?!\s+rounds?\b){P}(?:\s+(?:the|a|an))?\b"  # `funding round`: a noun
            # (an owner, when the name follows: `its first chip, an accelerator called the X`)
            + rf"(?:\s*{OPEN_CO}\s*(?:'s|’s)(?={FILL_EN}{CALLED_EN}))?"
            + FILL_EN
            # … and the object's name after its description: `its own chips, called Maia`, `its first
            # chip, an accelerator called the Vexlora One`
            + rf"(?:{CALLED_EN})?"
            + OWNED_EN
            + "{OWN}{O}{NA}{A}{NP}",
        ),
        # `对英伟达的依赖`: a trigger after 的 is a noun, read by the noun frame
        (
            "zh",
            # (a verb is followed by its object, not by 、: in 腾讯投资、美团 投资 ends a name of a list)
            NOT_COVERBED
            + r"(?<!携手)(?<!联合)(?<!联手)(?<!牵手)"
            # (a name closing a parenthesis is an example, no subject: 依赖手机厂商（如华为、小米），云端芯片则依赖…)
            + r"{S}(?!\s*(?:等)?\s*[)）])"
            # (a partner brought in by a two-character coverb stands between: 寒光科技携手中芯国际推出X)
            + r"(?:\s*(?:携手|联合|联手|牵手)\s*\uE000[CO]\d+\uE001(?:\s*[、和与及]\s*\uE000[CO]\d+\uE001)*\s*(?:共同|联合|一起|一道)?)?"
            # (a verb ending a relative clause far from the subject is not the subject's: in
            # 寒光科技发表首款在美国制造的芯片 寒光科技 makes nothing; 台积电在美国制造的芯片 it does)
            + r"(?![^\uE000\uE001。；;！？，,]{6,15}?(?:{TW})的)"
            + r"{gap:15}(?<!的){T}(?![、，,]|方|者|机构|人(?!工)|股东|子公司)(?:了|过|着)?"
            + FILL_ZH
            + "{OWN}"
            + FILL_ZH
            # (the items named after their kind: 囤积了不少英伟达的芯片，包括A100和H100)
            + EXAMPLES_AFTER_ZH
            + "{O}{NA}{A}",
        ),
    ],
    # a topic chain: the sentence's subject carries on into a later clause that opens with the verb
    # (周启航辞去星衡科技的职务，创办了寒光科技; 寒光科技成立于2019年，随后推出青鸾X1)
    "chain": [
        # … and an English participle clause after a comma, whose subject is the sentence's:
        # `Hyundai and Kia also backed the plan, investing $50 million in the startup`
        (
            "en",
            r"^\s*(?:[^\uE000\uE001,;]{0,30},\s*)?{S}"
            r"(?!\s+(?:said|says|reported|reports|told|tells|wrote|writes|noted|added|argued|believes|thinks|estimated|estimates)\b)"
            r"[^;!?]{0,120}?,\s*(?:(?:also|further|effectively|while|after|before)\s+)?"
            r"(?=[a-z]+ing\b){T}{P}(?:\s+(?:the|a|an))?\b" + FILL_EN + "{OWN}{O}{NA}{A}{NP}",
        ),
        (
            "zh",
            # (not a reporter's name: 彭博说，华为…，挑战英伟达 says nothing of 彭博)
            r"^\s*(?:[^\uE000\uE001，,。；;]{0,12}[，,]\s*)?{S}(?!\s*的)(?!\s*(?:说|称|表示|指出|认为|报道|透露|援引|写道|分析|预计|预测|估计))"
            r"[^。；;！？]{0,60}?[，,]\s*"
            r"(?:并|随后|之后|此后|后来|后|又|还|也|同时|现|并于[^\uE000\uE001，,。]{0,8}|于[^\uE000\uE001，,。]{0,8})?"
            r"{T}(?:了|过|着)?" + FILL_ZH + "{OWN}" + FILL_ZH + "{O}{NA}{A}",
        ),
        # … and an English verb coordinated with the subject's first one: `SoftBank bought Arm in 2016
        # and later invested in Ampere` (the first verb right after the subject, not one of saying)
        (
            "en",
            r"{S}\s+(?:(?:has|had|have|also|first|recently|previously|already)\s+)?"
            r"(?!(?:said|says|told|tells|added|noted|reported|argued|believes|thinks|is|was|are|were|has|had|and|or|but|"
            r"the|a|an|of|in|on|at|for|with|to|from|by|as|which|who|that|its|their|will|would|could|may|might)\b)"
            r"[a-z]+\b"
            r"[^;!?.]{0,60}?(?:,\s*)?\band\s+(?:(?:later|also|then|now|recently|has|have|had|will|would|since)\s+){0,2}"
            r"{T}{P}(?:\s+(?:the|a|an))?\b" + FILL_EN + "{OWN}{O}{NA}{A}{NP}",
        ),
    ],
    # the object named first, the verb in a relative clause after it: `the BlueField-3, which Lumora
    # has paired with …`, `Corvane, which Nvidia backed in 2023,` (English only)
    "relative": [
        (
            "en",
            r"{O}(?:\s+(?!(?:and|or|of|to|for|in|on|at|by|with)\b)[A-Za-z][\w-]*){0,2}?\s*,\s*(?:which|that)\s+(?:the\s+)?{S}\s+"
            r"(?:(?:has|have|had|will|would|also|now|recently|already|reportedly|quietly|then)\s+){0,2}"
            r"{T}\b(?!\s+by\b){P}",
        ),
    ],
    "passive": [
        # a short time or place adjunct may stand before `by` (founded in 2022 by)
        (
            "en",
            # the agent is the first of its class after `by` (founded by former Google engineer X)
            # (a relative clause may stand between: `The X, which Lumora unveiled in May, is made by Y`)
            r"{O}(?:\s*,\s*(?:which|that)\b[^;!?]{0,80}?,)?{gap:45}\b{T}(?:\s+(?:in|on|at|last|this|early|late)\s+[\w-]+(?:\s+[\w-]+)?)?\s+by\b"
            + ANY_EN
            + "{S}",
        ),
        # a participle fronted before its object: `Backed by Nvidia, Lumora …`, `Designed by X, the Y …`
        (
            "en",
            r"(?:^|[;:]\s*)\s*(?:(?:Originally|First|Also|Now|Jointly)\s+)?{T}\s+(?:(?:in|on)\s+[\w-]+\s+)?by\s+"
            + TIGHT_EN
            + r"{S}{gap:40},\s*(?:the\s+|its\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}?{O}",
        ),
        # the agent may carry its employer first: 由前华为工程师周启航创立 (tried only when the plain reading fails)
        (
            "zh",
            r"{O}{gap:25}(?:由|被)\s*(?:(?:前|原)?\uE000[CO]\d+\uE001[^\uE000\uE001。；;！？，,]{1,6}?)??{S}"
            # … and no other agent coordinated before the verb: 由A设计、B制造 (B makes it, not A)
            r"(?:(?![、和与及]\s*\uE000)[^。；;！？，,]){0,16}?{T}",
        ),
    ],
    # a possessive names the relation (Nvidia's landmark H100, 英伟达最新推出的 H20); `{T}` is empty
    "possessive": [
        (
            "en",
            r"{S}\s*"
            + POSS_EN
            + r"\s*(?:(?!(?:the|a|an|to|of|and|or|for|in|with|by|from|on|at|that|which)\b)[\w-]+\s+){0,3}?{T}{O}",
        ),
        # … and a list of examples: Nvidia's high-end AI GPUs, such as the H100, H200 and B200
        (
            "en",
            r"{S}\s*"
            + POSS_MARK
            + r"\s*(?:[\w-]+\s+){0,3}?[\w-]+\s*,?\s+(?:such as|like|including|e\.g\.)\s+(?:the\s+)?{T}{O}",
        ),
        # a modifier that opens with a coverb is a clause (微软在西雅图举行的年度大会), not an ownership
        (
            "zh",
            r"{S}\s*(?:(?![在于对向与和为从到把被])[^\uE000\uE001，,。；;]{0,8}?的)\s*[^\uE000\uE001，,。；;]{0,6}?{T}{O}",
        ),
        # … or a chip head before the name, with no 的: 英伟达对华销售最强芯片H20, 华为旗舰AI芯片昇腾910C
        # (not after a coverb that brings in another party: 百度向英伟达采购芯片H20 is no ownership by 百度)
        (
            "zh",
            NOT_COVERBED
            + r"{S}\s*(?![向从与和把被给])[^\uE000\uE001，,。；;的]{0,8}?(?:芯片|晶片|GPU|处理器|加速卡|显卡|加速器)\s*{T}{O}",
        ),
    ],
    # a funding round names its investors: X raised $N in a round led by A and B / X完成B轮融资，由A领投
    "round": [
        (
            "en",
            # other investors may come first: a round led by A, with participation from B
            r"{O}[^;!?]{0,120}?\b(?:round|funding|financing|raise|investment|Series [A-H]\d?)\b"
            r"[^;!?]{0,60}?\b{T}\b\s*(?:by|from)?\b" + TIGHT_EN + "{S}",
        ),
        (
            "zh",
            r"{O}[^。；;！？]{0,40}?融资[^\uE000\uE001。；;！？]{0,15}?(?:由)?\s*{S}\s*(?:等(?:机构|公司|投资方|股东|投资机构)?)?(?:共同|联合)?{T}",
        ),
        (
            "zh",
            r"{O}[^。；;！？]{0,40}?融资[^\uE000\uE001。；;！？]{0,15}?{T}\s*(?:包括|包含|为|有|是|：|:)?\s*{S}",
        ),
        # a second investor after the lead: 由A领投，B跟投 / A领投，B和C参投
        (
            "zh",
            # (the follower may be described and keep on: 老股东红杉中国继续跟投)
            r"{O}[^。；;！？]{0,40}?融资[^。；;！？]{0,40}?(?:领投|主导)[，,、]\s*(?:(?:老|现有|原有|新)?股东|投资方|机构)?\s*{S}\s*"
            r"(?:等(?:多家)?(?:机构|公司|投资方|股东|投资机构)?)?"
            r"(?:共同|联合|继续|持续|再次|也|亦|均|同步|追加)*{T}",
        ),
    ],
    # a process named first, its chip after: Built on TSMC's N3 process, the X … / 采用台积电5nm工艺，X…
    "process_first": [
        (
            "en",
            r"\b{T}\s+(?:on|using|with|in|at)\s+"
            + TIGHT_EN
            + r"{S}{A}\s*,\s*(?:the\s+|its\s+)?"
            + TIGHT_EN
            + "{O}",
        ),
        ("zh", r"{T}\s*{S}{any:10}(?:工艺|制程|节点)(?:技术)?(?:制造|生产|打造)?[，,]?\s*{O}"),
    ],
    # a round whose company the sentence does not name: the document's topic (`@topic`)
    # received it: `The round was led by A and B` / `其中天使轮由A领投，B跟投`
    "implicit": [
        (
            "en",
            r"\b(?:round|funding|financing|raise|investment|Series [A-H]\d?)\b[^\uE000\uE001;!?]{0,25}?\b{T}\b\s*(?:by|from)?\b"
            + TIGHT_EN
            + "{S}",
        ),
        # (the investor may be named by its unit: 由小米战略投资部领投)
        (
            "zh",
            r"(?:轮|融资)[^\uE000\uE001。；;！？]{0,6}?(?:由)?\s*{S}"
            + UNIT_ZH
            + r"\s*(?:等)?(?:机构)?(?:共同|联合)?{T}",
        ),
        # a clause of its own in a round's sentence: …，B跟投
        (
            "zh",
            r"(?:轮|融资)[^。；;！？]{0,40}?[，,；;]\s*{S}"
            + UNIT_ZH
            + r"\s*(?:等)?(?:机构)?(?:共同|联合)?{T}",
        ),
    ],
    # … or by a phrase that names investors on its own: `with participation from A and B`
    "implicit_phrase": [
        ("en", r"\b{T}\b" + TIGHT_EN + "{S}"),
        ("zh", r"{T}\s*{S}"),
    ],
    # … or by a role noun with no owner: `Investors included A and B` / `投资方包括A、B`
    "implicit_role": [
        (
            "en",
            r"(?:^|(?<![\uE001’'])\s)\b(?i:{T})\s+(?:include|includes|included|including|are|were|such as)\b"
            + TIGHT_EN
            + "{S}",
        ),
        ("zh", r"(?<![\uE001的])\s*{T}\s*(?:包括|包含|为|有|是|：|:)\s*{S}"),
    ],
    # the object first, then the trigger and the subject: 真武芯片已用于阿里巴巴 / chips shipped to X
    "inverse": [
        ("en", r"{O}" + NEAR_EN + r"{T}\b" + TIGHT_EN + "{S}"),
        ("zh", r"{O}{gap:15}{T}" + FILL_ZH + "{S}"),
    ],
    # the giver first, the recipient (the subject of the triple) after `to`: X rents its TPUs to
    # customers including A and B / X向A和B出售H20
    "dative": [
        (
            "en",
            r"\b{T}\b"
            + TIGHT_EN
            + r"{OWN}{O}(?:\s+(?:chips?|GPUs?|processors?|accelerators?))?\s+to\s+"
            + r"(?:(?!(?:train|run|power|build|serve|develop|help)\b)[\w-]+\s+){0,3}?"
            + r"(?:(?:including|such as|like|among them)\s+)?{S}",
        ),
        ("zh", r"(?:向|为|给)\s*{S}{gap:10}{T}" + FILL_ZH + "{OWN}{O}"),
    ],
    "coverb": [
        # a short place or kind word may stand between the coverb and its object (与南韩三星合作)
        ("zh", NOT_COVERBED + r"{S}{gap:15}(?:{C})[^\uE000\uE001，,。；;]{0,3}?{OWN}{O}{gap:10}{T}{A}"),
    ],
    "converse": [
        # (an appositive may stand after the receiver: `Rebellions, a startup founded in 2020, received …`)
        (
            "en",
            r"{O}(?:\s*,[^,;!?\uE000\uE001]{1,90},)?"
            + NEAR_EN
            + r"{T}\b"
            + ANY_EN
            + r"\b(?:{P})\b"
            + TIGHT_EN
            + "{OWN}{S}{A}",
        ),
        ("zh", r"{O}{gap:15}(?:{C})(?:了)?\s*(?:包括)?\s*{S}{gap:6}(?:的)?{gap:6}{T}"),
    ],
    # a reciprocal predicate over one coordinated subject: A and B compete / A、B和C将展开竞争
    "reciprocal": [
        ("en", r"{S}" + AUX_EN + r"{T}(?!\s+(?:\w+\s+){0,2}?(?:with|against|to)\b){A}"),
        # not a noun compound: A、B等也被认为是潜在合作伙伴 names no partnership between A and B
        ("zh", NOT_COVERBED + r"{S}{gap:20}(?<!的){T}(?!伙伴|方|者|关系)"),
    ],
    # … and its role noun before the list: `longtime rivals A and B`, `the two partners, A and B,`
    # (an adjective first, so that the verb `X rivals A and B` and a possessor's `its rivals A and B`,
    # whose members need not rival each other, are not read)
    "reciprocal_role": [
        (
            "en",
            r"(?<!'s\s)(?<!’s\s)(?<!\bits\s)(?<!\btheir\s)(?<!\bhis\s)(?<!\bher\s)"
            r"(?:^|\b)(?i:longtime|long-time|fierce|bitter|old|traditional|perennial|two|three|age-old)\s+"
            r"(?:(?:chip|industry|market|semiconductor|tech|AI)\s+)?{T}\s*,?\s*{S}{A}",
        ),
    ],
    # a plural title before the people who hold it: `former Google TPU engineers Dana Whitfield and Tom Arden`
    "title_group": [
        (
            "en",
            r"{O}\s*" + POSS_MARK + r"?\s*(?:(?:[\w-]+|\uE000[HR]\d+\uE001)\s+){0,2}?{T}\b\s*,?\s+{S}",
        ),
    ],
    # … and its noun after a light verb: A and B announced a partnership / formed a joint venture
    "reciprocal_noun": [
        (
            "en",
            r"{S}"
            + AUX_EN
            + r"\b(?:{L})\b\s*(?:[\w$.,%-]+\s+){0,4}?{T}(?!\s+(?:\w+\s+){0,2}?(?:with|between)\b){A}",
        ),
    ],
    # a partner in an adverbial: designing its chip with Broadcom's help / in partnership with TSMC
    "adverbial": [
        ("en", r"{S}[^;!?]{0,80}?\b{T}\s+(?:the\s+)?{O}{A}"),
        ("zh", NOT_COVERBED + r"{S}[^。；;！？]{0,30}?{T}\s*{O}{A}"),
    ],
    "noun": [
        # the noun's owner: a possessive, or the subject of a light verb (`announced a partnership with`)
        (
            "en",
            # a relative clause may separate them: `A and B, which have built chips while reducing reliance on`
            OBJECT_BEFORE
            + r"{S}(?:\s*"
            + POSS_MARK
            + r"|(?=\s+(?:[\w-]+\s+){0,2}?(?:{TW})\b)|"
            + r"(?:\s*,\s*(?:which|who)\b[^;!?]{0,80}?\b(?:while|by|and|as)\s+)?"
            + AUX_EN
            # (`picked up $300 million and a multi-year tie-up with Intel`)
            + r"\b(?:{L})\b)\s*(?:(?!(?:said|says|say|told|while|but|which|who)\b)(?:[\w$.,%-]+|\uE000[A-Z]\d+\uE001(?:'s|’s)?)\s+){0,6}?{T}{P}\b"
            + FILL_EN
            + "{OWN}{O}",
        ),
        # (a time may stand before the light verb: 已于今年3月完成对X的收购)
        ("zh", NOT_COVERBED + r"{S}{gap:14}(?:{C})\s*{O}{gap:4}的{gap:6}{T}"),
    ],
}
# role nouns: the owner (Y in `Y's rivals`) and the member (X) of the role
ROLE_TEMPLATES: list[tuple[str, str, str]] = [
    # (language, template, slot of the member); `{X}` the owner slot, `{M}` the member slot
    (
        "en",
        r"{X}\s*"
        + POSS_EN
        # (modifiers only: in `Nvidia's requirements as rival X` the rival is no rival of Nvidia)
        + r"\s*(?:(?!(?:as|and|or|of|to|in|for|with|by|from|that|which|while|but)\b)[\w-]+\s+){0,3}?{T}\b"
        # (after a comma the members follow at once: `Nvidia's rivals, AMD and Intel,`; not
        # `one of its cloud providers, slipped after Bloomberg reported`)
        # (no filler without a linking word: in `Intel's revamped Foundry Services to create a
        # Lumora-designed chip` Lumora is no foundry's client)
        + r"(?:\s*[,:]\s*(?:(?:such as|like|including|namely)\s+)?|\s+(?:include|includes|included|including|such as|like|are|were|is|was)\b"
        + FILL_EN
        + r"|\s*)"
        + "{M}",
        "o",
    ),
    (
        "en",
        # (a relative pronoun may open the clause: `Amazon, which is both a major investor in X`)
        r"{M}(?:\s*,\s*(?:which|who)\b)?(?:[^\uE000\uE001;!?,]{0,30}?\b(?:as|is|are|was|were|be|been|become|became|becomes|remains?)(?:\s+(?:now|also|still|already|both|\w+ly))*)?,?\s+"
        # (what is supplied may stand between: `a key supplier of HBM chips to Nvidia`)
        r"(?:a|an|the|one of|another|its|their|both)\s+(?:(?!(?:of|to|for|and|or|with|by|from|in)\b)[\w-]+\s+){0,3}?{T}\s+"
        r"(?:of\s+(?:(?:[\w-]+|\uE000[HR]\d+\uE001)\s+){1,4}?(?:to|for)|of|to|for|in|at|with|against|behind)\b"
        + FILL_EN
        + "{X}",
        "s",
    ),
    # the member is one of the owner's role: `Microsoft is one of Nvidia's largest customers`,
    # `makes Anthropic one of Google's biggest TPU customers`
    (
        "en",
        r"{M}(?:[^\uE000\uE001;!?,]{0,30}?\b(?:as|is|are|was|were|be|been|become|became|becomes|remains?)\b)?"
        r"\s*,?\s+(?:one of|among|a|an|another)\s+{X}\s*" + POSS_MARK + r"\s*(?:[\w-]+\s+){0,3}?{T}\b",
        "s",
    ),
    # the clause's subject owns the role: `Nvidia aims to shut out rivals like AMD` (entries with `owner_subject`)
    ("en+", r"{X}" + AUX_EN + r"{T}\s*,?\s+(?:like|such as|including|among them)\s+{M}", "o"),
    # the owner counts the members among its role: `Orbital counts A and B among its customers`
    (
        "en",
        r"{X}(?:\s*,[^\uE000\uE001,;!?]{1,60},|\s*,\s*(?:which|who)\b)?\s+(?:counts|count|counted|lists|listed|names|named|includes|included)\s+{M}\s+(?:among|as)\s+"
        r"(?:its|their|an?|one of its|\uE000[A-Z]\d+\uE001(?:'s|’s)?)?\s*(?:[\w-]+\s+){0,2}?{T}\b",
        "o",
    ),
    # the owner picks the member for the role: `Lumora picked SK Hynix as the sole HBM supplier for its chip`
    (
        "en",
        r"{X}(?:\s*,[^\uE000\uE001,;!?]{1,60},)?"
        + AUX_EN
        + r"\b(?:picked|picks|chose|chooses|selected|selects|named|names|tapped|taps|"
        r"designated|designates|engaged|engages|added|adds)\s+{M}\s+as\s+(?:the|its|their|a|an|\uE000[A-Z]\d+\uE001(?:'s|’s)?)?\s*"
        r"(?:(?!(?:and|or|of|to|in|for|with|by|from)\b)[\w-]+\s+|\uE000[HR]\d+\uE001\s+){0,3}?{T}\b",
        "o",
    ),
    # an appositive with no determiner: `Veltrix, maker of the Nimbus-3,` / `Lumora, creator of Corsa`
    ("en", r"{M},\s+(?:[\w-]+\s+){0,2}?{T}\s+(?:of|behind|to)\b" + FILL_EN + "{X}", "s"),
    # (within one clause: 由深创投领投，老股东红杉中国跟投 makes 红杉中国 no shareholder of 深创投)
    ("zh", r"{X}(?:的)?" + CLAUSE_GAP_ZH + r"{T}(?:包括|包含|有|为|是|如|：|:)?\s*{M}", "o"),
    # (a place or market may qualify the role: 是英伟达在中国市场的主要竞争对手)
    # (… or a period: 腾讯为燧原科技2025年1-9月的最大客户)
    (
        "zh",
        r"{M}{gap:4}(?:是|为|成为|作为|系)\s*{X}(?:在{gap:8}|"
        + PERIOD_ZH
        + r")?(?:的)?"
        + CLAUSE_GAP_ZH
        + "{T}",
        "s",
    ),
    # … or stand before the member, fronted: 作为英伟达的竞争对手，壁仞科技推出了新芯片
    ("zh", r"作为\s*{X}(?:在{gap:8})?(?:的)?" + CLAUSE_GAP_ZH + r"{T}(?:之一)?[，,]\s*{M}", "s"),
    # the owner as a modifier of the role noun: `Lumora, an Nvidia customer,`, `is a major TSMC customer`
    # (last among the English templates' ids: appended, so the others keep theirs)
    (
        "en",
        r"{M}(?:\s*,|\s+(?:is|was|are|were|remains?|became|becomes|has\s+been)(?:\s+(?:now|also|still|already))?)\s+"
        r"(?:a|an|the|another|one\s+of\s+the)\s+(?:(?!(?:and|or|of|to|for|with)\b)[\w-]+\s+){0,2}?{X}\s+{T}\b",
        "s",
    ),
    # the member in line for the owner's role: `Veltrix is already in line as its first customer`
    (
        "en",
        r"{M}[^\uE000\uE001;!?]{0,40}?\bas\s+{X}\s*"
        + POSS_MARK
        + r"\s*(?:(?!(?:and|or|of|to|for|with)\b)[\w-]+\s+){0,2}?{T}\b",
        "s",
    ),
    # … or named with it by the owner: `Lumora is launching its own chip with Veltrix as a customer`
    (
        "en",
        r"{X}"
        + AUX_EN
        + r"\bwith\s+{M}\s+as\s+(?:a|an|its|their|the)\s+(?:(?!(?:and|or|of|to|for|with)\b)[\w-]+\s+){0,2}?{T}\b",
        "o",
    ),
    # the owner has them: `Rebellions has some big investors, including A, B and C` (appended: the
    # others keep their ids)
    (
        "en",
        r"{X}\s+(?:has|had|have|counts|boasts|lists)\s+(?:(?:some|many|several|big|major|key|large|notable|other|a\s+number\s+of|\w+-profile)\s+){0,3}{T}\b"
        r"\s*,?\s*(?:including|such as|like|among them|:)\s+" + FILL_EN + "{M}",
        "o",
    ),
]
# a verb of taking a post, with `as` where it needs one: `was appointed CEO of`, `succeeded Z as CEO of`
_TAKES_POST = (
    r"(?:(?:named|appointed|promoted|tapped|elevated|elected|became|become|becomes|remain(?:s|ed)?)\s+(?:as\s+)?"
    r"|(?:hired|step(?:s|ped)?\s+in|step(?:s|ped)?\s+down|resign(?:s|ed)?|retire(?:s|d)?|take(?:s|n)?\s+over|took\s+over|serve(?:s|d)?|return(?:s|ed)?|stay(?:s|ed)?\s+on"
    r"|succeed(?:s|ed)?|replace(?:s|d)?)(?:\s+\uE000[A-Z]\d+\uE001)?\s+as\s+"
    # … or a post held, after a copula: `X is also chairman of Y`
    r"|(?<=\bis\s)|(?<=\bwas\s)|(?<=\balso\s)(?<!\bto\salso\s))"
)
_NEW_POST = r"(?:the\s+|its\s+|their\s+|\uE000[CO]\d+\uE001\s*(?:'s\s+|’s\s+)?)?(?:(?:new|interim|acting|permanent|next|first|sole)\s+)?"
TITLE_TEMPLATES: list[tuple[str, str]] = [
    # (the title may name its domain: `Meta's vice president of engineering Yee Jiun Song`)
    (
        "en",
        r"{O}\s*"
        + POSS_MARK
        + r"?\s*(?:[\w-]+\s+){0,2}?{T}(?:\s+(?:of|for)\s+[a-z]+(?:\s+[a-z]+)?)?,?\s+{S}",
    ),
    # … its domain may come first: `senior vice president of networking at Nvidia`
    (
        "en",
        r"{S},\s+(?:the\s+|its\s+|a\s+|former\s+)*(?:[\w-]+\s+){0,3}?{T}"
        r"(?:\s+(?:of|for)\s+[\w&\s-]{1,30}?)?\s+(?:of|at)\s+(?:the\s+)?{O}",
    ),
    ("en", r"{S},\s+{O}\s*" + POSS_MARK + r"\s*(?:[\w-]+\s+){0,2}?{T}\b"),
    # a post taken or given: `X will step in as the new CEO of Y`, `X succeeded Z as CEO of Y`
    (
        "en",
        r"{S}(?:\s*,[^\uE000\uE001,;!?]{1,60},)?\s+(?:(?:will|would|has|had|have|is|was|to|be|been|formally|officially|also|now|later)\s+){0,3}"
        + _TAKES_POST
        + _NEW_POST
        + r"{T}\s+(?:of|at|for|to\s+(?:run|lead|head|oversee|steer))\s+(?:the\s+)?{O}",
    ),
    # … with its employer as a possessive: `X will step down as Corvane's CEO`, `X is now Corvane's CEO`
    (
        "en",
        r"{S}(?:\s*,[^\uE000\uE001,;!?]{1,60},)?\s+(?:(?:will|would|has|had|have|is|was|to|be|been|formally|officially|also|now|later)\s+){0,3}"
        + _TAKES_POST
        + r"(?:the\s+)?{O}\s*"
        + POSS_MARK
        + r"\s+(?:(?:new|interim|acting|permanent|next|first|sole)\s+)?{T}\b",
    ),
    # `Y named X (as) its chief executive`
    (
        "en",
        r"{O}(?:\s*,[^\uE000\uE001,;!?]{1,60},)?\s+(?:(?:has|have|had|will|would|also|formally|officially|today|on\s+\w+day)\s+){0,2}"
        r"(?:named|appointed|promoted|tapped|hired|elevated|elected|picked|chose|selected)\s+"
        # (the person may be described first: `appointed former Qualcomm executive Dana Whitfield as CEO`)
        r"(?:(?:former|ex-|veteran|longtime)\s*(?:\uE000[CO]\d+\uE001\s*(?:'s\s+)?)?(?:[\w-]+\s+){0,2}?)?"
        # (an appositive may describe the person, another employer in it: `Dana Whitfield, a former AMD
        # executive, as its new CEO`)
        r"{S}(?:,[^;!?,]{1,60},)?"
        r"\s+(?:(?:as|to\s+be|to\s+serve\s+as|to\s+the\s+(?:post|role)\s+of)\s+)?" + _NEW_POST + r"{T}\b",
    ),
    # an appositive with the employer's name as a modifier: `Dana Whitfield, a Lumora engineer,`
    (
        "en",
        r"{S},\s+(?:a|an|the)\s+(?:(?:former|longtime|veteran|onetime)\s+)?{O}\s+(?:[\w-]+\s+){0,2}?{T}\b",
    ),
    # (the title may be one of several: 创始人、董事长兼首席执行官张明)
    (
        "zh",
        r"{O}(?:[^\uE000\uE001，,。；;、]{0,10}?(?:、|兼|及))*?{gap:6}{T}(?:兼[^\uE000\uE001，,。]{0,8})?\s*{S}",
    ),
    ("zh", r"{S}\s*[（(,，]?\s*(?:现任|担任|出任|是|为|历任|曾任)?{O}(?:的)?{gap:4}{T}"),
    # a post given: 壁仞科技任命张明为首席执行官 / 宣布由张明接任CEO一职
    (
        "zh",
        r"{O}{gap:8}(?:任命|委任|聘任|聘请|提名|推举|宣布由|由)\s*{S}\s*(?:为|接任|出任|担任)(?:公司)?(?:的)?(?:新任|新一任|首任|新)?{T}",
    ),
    # titles, then the employer, each after a comma, as a press release signs a quote:
    # `said Dana Whitfield, EVP, CFO and treasurer, Lumora Systems.` (appended: the others keep their ids)
    (
        "en",
        r"{S},\s+(?:[\w-]+(?:\s+|\s*,\s*)){0,3}?{T}(?:\s*(?:,|and|&)\s*(?:[\w-]+\s+){0,3}?[\w-]+){0,3}?\s*,\s+(?:the\s+)?{O}"
        r"(?=\s*(?:[.;:!?\"”]|$))",
    ),
    # a post taken on joining: 周启航加入寒光科技，出任首席执行官 (appended: the others keep their ids)
    (
        "zh",
        r"{S}{gap:8}(?:加入|加盟|入职|回归|重返)\s*{O}\s*[，,]?\s*(?:并|随后|同时|后)?(?:出任|担任|任)(?:公司)?(?:的)?(?:新任|首任|新)?{T}",
    ),
]
