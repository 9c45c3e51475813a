"""Writes gold/samples_gold.jsonl: the events and figures annotation of the five shared samples (by hand, by the
marsad events helper; see gold/README.md). Only trigger words and numbers are looked up in the sample texts
(to record their offsets); no sample sentence is stored."""
import json
from pathlib import Path
from marsad.model import content_id
from marsad.paths import samples_dir
S = samples_dir()
def A(code, id=None): return {"code": code, **({"id": id} if id else {})}
def D(v, p="day"): return {"value": v, "precision": p}
def P(name, id=None): return {"name": name, **({"id": id} if id else {})}
def E(type, trigger, occ=1, mode=None, actor=None, recipient=None, places=(), date=None, modality="asserted", note=""):
    return dict(type=type, mode=mode, actor=actor, recipient=recipient, places=list(places), date=date, modality=modality, trigger=trigger, occ=occ, note=note)
def F(kind, group, value=None, low=None, high=None, qualifier=None, reporter=None, period=None, parent=None, side=None, number=None, note=""):
    return dict(kind=kind, group=group, value=value, low=low, high=high, qualifier=qualifier, reporter=reporter, period=period, parent=parent, side=side, number=number, note=note)
ERD=A("TUR.GOV","TUR.GOV.erdogan"); PUT=A("RUS.GOV","RUS.GOV.putin")
G = {}
G["000_2fc55522fb4c8d37.txt"] = ("2019-05-30", [
  E("REQUEST","ضرورة",1,"yield",ERD,PUT,date=D("2019-05-30"),note="Erdogan to Putin: ceasefire needed"),
  E("CONSULT","اتصال",1,"phone",ERD,PUT,date=D("2019-05-30")),
  E("AGREE","اتفقا",1,None,ERD,PUT,date=D("2019-05-30"),note="agreed to hold a bilateral meeting at the G20"),
  E("ACCUSE","هجمات",2,"disapprove",A("TUR.GOV","TUR.GOV.nsc"),A("SYR.GOV"),date=D("2019-05-30"),note="NSC: regime attacks undermine Astana"),
  E("ASSAULT","وغارات",1,"aerial",A("SYR.MIL"),A("CIV"),[P("ريف إدلب","region:SY07:countryside")],date=None,note="ongoing air raids on residential areas"),
  E("ASSAULT","معارك",1,None,A("SYR.MIL"),A("SYR.REB"),[P("ريف حماة","region:SY05:countryside"),P("ريف اللاذقية","region:SY06:countryside")],date=None,note="battles since late April"),
  E("COERCE","استعادة",1,"seize",A("SYR.REB"),A("SYR.MIL"),[P("كفر نبودة","wof:1293184687")],date=None,note="opposition retook the town"),
  E("COERCE","استعادة",2,"seize",A("SYR.MIL"),A("SYR.REB"),[P("كفر نبودة","wof:1293184687")],date=None,note="regime retook it"),
], [
  F("killed","civilians",229,reporter={"id":"NGO.uossm","text":"اتحاد منظمات الإغاثة والرعاية الطبية"},period=D("2019-04-28"),number="229"),
  F("injured",["civilians","persons"],727,reporter={"id":"NGO.uossm","text":"اتحاد منظمات الإغاثة والرعاية الطبية"},period=D("2019-04-28"),number="727"),
  F("killed","civilians",48,reporter={"id":"SYR.NGO.civil_defence","text":"الدفاع المدني"},period=D("2019-05-19"),number="48"),
  F("injured",["persons","civilians"],132,reporter={"id":"SYR.NGO.civil_defence","text":"الدفاع المدني"},period=D("2019-05-19"),number="132"),
  F("killed","men",26,reporter={"id":"SYR.NGO.civil_defence","text":"الدفاع المدني"},parent=2,number="26"),
  F("killed","women",7,reporter={"id":"SYR.NGO.civil_defence","text":"الدفاع المدني"},parent=2,number="7"),
  F("killed","children",15,reporter={"id":"SYR.NGO.civil_defence","text":"الدفاع المدني"},parent=2,number="15"),
  F("injured","men",56,reporter={"id":"SYR.NGO.civil_defence","text":"الدفاع المدني"},parent=3,number="56"),
  F("injured","women",28,reporter={"id":"SYR.NGO.civil_defence","text":"الدفاع المدني"},parent=3,number="28"),
  F("injured","children",37,reporter={"id":"SYR.NGO.civil_defence","text":"الدفاع المدني"},parent=3,number="37"),
])
AKAR=A("TUR.GOV","TUR.GOV.akar")
G["001_2322dcea9319ee7e.txt"] = ("2019-05-14", [
  E("CONSULT","بحث",1,"phone",AKAR,A("RUS.GOV","RUS.GOV.shoigu"),date=D("2019-05-14"),note="Akar-Shoigu call"),
  E("ASSAULT","هجوم",1,None,A("SYR.REB"),A("SYR.MIL"),[P("ريف حماة الشمالي","region:SY05:N")],date=None),
  E("COERCE","تقدُّم",1,"seize",A("SYR.MIL"),None,[P("ريف حماة الشمالي","region:SY05:N")],date=None,note="regime advance"),
  E("CONSULT","اتصال",1,"phone",ERD,PUT,date=D("2019-05-13")),
  E("ACCUSE","وحذّر",1,"disapprove",ERD,A("SYR.GOV"),date=D("2019-05-13"),note="warned that regime escalation threatens the process"),
  E("AGREE","واتفقا",1,None,ERD,PUT,date=D("2019-05-13"),note="agreed to continue contacts"),
  E("RETREAT","انسحاب",1,"withdraw",A("SYR.REB"),None,[P("ريف حماة الشمالي","region:SY05:N")],date=None),
  E("REQUEST","هجومه",1,"yield",AKAR,A("SYR.GOV"),date=None,note="regime must stop its offensive"),
], [])
G["002_d38588727fa1ffa5.txt"] = ("2019-05-29", [
  E("CONSULT","تتواصل",1,None,A("TUR.GOV","TUR.GOV.mod"),A("RUS.GOV"),date=D("2019-05-29")),
  E("ASSAULT","وطال القصف",1,None,A("SYR.MIL"),None,[P("أريحا","wof:1293760771"),P("كفر نبل","wof:890449847"),P("كفر سجنة","wof:1293088207"),P("كفر عويد","wof:1260158073"),P("سفوهون","wof:1360265293"),P("ابلين","wof:1259459989"),P("بارة","wof:1343945057")],date=D("2019-05-29"),note="shelling of southern Idlib villages"),
  E("PROTEST","للتظاهر",1,"demo",A("CIV"),None,[P("معبر أطمة","wof:1360262391#crossing")],date=D("2019-05-31"),modality="planned"),
], [
  F("displaced","civilians",None,1000,9999,reporter={"id":"TUR.GOV.akar","text":"آكار"},number="الآلاف"),
  F("casualties",["persons","civilians"],None,10,99,reporter=None,number="عشرات"),
  F("displaced","families",65452,reporter={"id":"SYR.NGO.response_coordinators","text":"منسقو الاستجابة"},period=D("2019-04-29"),number="65452"),
  F("displaced","persons",425438,reporter={"id":"SYR.NGO.response_coordinators","text":"منسقو الاستجابة"},period=D("2019-04-29"),number="425438"),
  F("killed","civilians",568,reporter={"id":"SYR.NGO.response_coordinators","text":"منسقو الاستجابة"},period=D("2019-04-29"),number="568"),
  F("killed","children",162,reporter={"id":"SYR.NGO.response_coordinators","text":"منسقو الاستجابة"},period=D("2019-04-29"),parent=4,number="162"),
])
G["003_afaae20fa859545d.txt"] = ("2020-02-21", [
  E("AGREE","اتفق",1,None,PUT,ERD,date=D("2020-02-21")),
  E("CONSULT","اتصال",1,"phone",PUT,ERD,date=D("2020-02-21")),
  E("REQUEST","وحض",1,"yield",ERD,PUT,date=D("2020-02-21"),note="urged Putin to restrain regime forces"),
  E("CONSULT","تباحث",1,"phone",ERD,A("FRA.GOV","FRA.GOV.macron"),date=D("2020-02-21")),
  E("CONSULT","تباحث",1,"phone",ERD,A("DEU.GOV","DEU.GOV.merkel"),date=D("2020-02-21")),
  E("REQUEST","ودعاهما",1,"assist",ERD,A("FRA.GOV","FRA.GOV.macron"),date=D("2020-02-21")),
  E("REQUEST","ودعاهما",1,"assist",ERD,A("DEU.GOV","DEU.GOV.merkel"),date=D("2020-02-21"),note="the same call to Merkel: one event per dyad"),
  E("REQUEST","دعا",1,"yield",A("IGO.UNO","IGO.UN.guterres"),None,date=D("2020-02-21")),
  E("ASSAULT","غارات",2,"aerial",A("RUS.MIL"),None,[P("كفر نبل","wof:890449847"),P("أريحا","wof:1293760771"),P("قميناس","wof:1326917455")],date=D("2020-02-21")),
  E("ASSAULT","قصفت",1,"heavy-weapons",A("TUR.MIL"),A("SYR.MIL"),[P("النيرب","wof:1259763395"),P("سراقب","wof:890449833")],date=D("2020-02-21")),
  E("ASSAULT","هجومها",1,None,A("SYR.REB"),A("SYR.MIL"),[P("النيرب","wof:1259763395")],date=None),
  E("RETREAT","انسحبوا",1,"withdraw",A("SYR.REB"),None,[P("النيرب","wof:1259763395")],date=None),
  E("COERCE","منعت",1,"restrict",A("TUR.GOV"),A("RUS.MIL"),date=None,note="airspace closed to Russian military aircraft"),
], [
  F("displaced","civilians",900000,qualifier="more_than",reporter={"id":"IGO.UN.guterres","text":"غوتيريش"},number="900 ألف"),
  F("in_need",["persons","civilians"],2800000,qualifier="about",reporter={"id":"IGO.UN.guterres","text":"غوتيريش"},number="مليونين و800 ألف"),
])
G["004_a1a39c06a4cbffd7.txt"] = ("2020-02-28", [
  E("ASSAULT","هجماتها",1,None,A("SYR.REB"),A("SYR.MIL"),[P("إدلب","ocha:SY07")],date=D("2020-02-28")),
  E("ASSAULT","المعارك",1,None,A("SYR.REB"),A("SYR.MIL"),[P("طلحية","wof:1226122685"),P("أربيخ","wof:1209401933"),P("كراتين","wof:1293178013"),P("سراقب","wof:890449833")],date=D("2020-02-28")),
  E("ASSAULT","استهدف",1,"heavy-weapons",A("TUR.MIL"),A("SYR.MIL"),[P("مطار كويرس","site:kweires_airbase"),P("مطار النيرب","site:nayrab_airbase"),P("معسكر جورين","wof:1226641299#camp")],date=D("2020-02-28"),note="missile strikes"),
  E("ASSAULT","طائرات مسيرة",1,"drone",A("TUR.MIL"),A("SYR.MIL"),[],date=D("2020-02-28")),
  E("ASSAULT","غارة",1,"aerial",None,A("TUR.MIL"),[P("إدلب","ocha:SY07")],date=None,note="the strike that killed Turkish soldiers"),
  E("ASSAULT","قصف روسي",1,"aerial",A("RUS.MIL"),A("CIV"),[P("بليون","wof:1209301579")],date=D("2020-02-28")),
  E("ASSAULT","استهداف مدينة",1,None,None,A("CIV"),[P("سراقب","wof:890449833")],date=D("2020-02-28")),
  E("CONSULT","اجتماع",1,"multilateral",A("IGO.UNSC","IGO.UNSC"),None,date=D("2020-02-28"),modality="planned"),
  E("ACCUSE","بالتزاماتها",1,"disapprove",A("RUS.GOV"),A("TUR.GOV"),date=D("2020-02-28"),note="Kremlin: Turkey failed its obligations"),
  E("CONSULT","اتصال",1,"phone",PUT,ERD,date=D("2020-02-28")),
  E("CONSULT","انعقد",1,None,A("RUS.GOV"),A("TUR.GOV"),date=D("2020-02-28"),note="delegations met in Ankara"),
  E("REQUEST","ضرورة",1,"yield",A("TUR.GOV"),A("RUS.GOV"),date=D("2020-02-28")),
  E("CONSULT","اتصالا",1,"phone",ERD,A("USA.GOV","USA.GOV.trump"),date=D("2020-02-28")),
  E("AGREE","اتفقا",1,None,ERD,A("USA.GOV","USA.GOV.trump"),date=D("2020-02-28")),
], [
  F("casualties","soldiers",None,10,99,side="SYR.MIL",reporter={"text":"مصادر محلية"},number="العشرات"),
  F("killed","soldiers",60,qualifier="more_than",side="SYR.MIL",reporter={"text":"مصادر محلية"},number="60"),
  F("killed","soldiers",None,10,99,side="TUR.MIL",reporter=None,number="العشرات"),
  F("killed","civilians",4,reporter=None,number="4"),
  F("killed","civilians",3,reporter=None,number="ثلاثة"),
])
out = []
for name, (pub, evs, figs) in G.items():
    raw = (S / name).read_text(encoding="utf-8")
    for e in evs:
        k = -1
        for _ in range(e["occ"]):
            k = raw.find(e["trigger"], k + 1)
        assert k >= 0, (name, e["trigger"])
        e["trigger_offset"] = k
        del e["occ"]
        if not e["note"]: del e["note"]
    for f in figs:
        k = raw.find(f["number"]); assert k >= 0, (name, f["number"])
        f["number_offset"] = k
        if not f["note"]: del f["note"]
    out.append({"sample": name, "article_id": content_id(raw), "published": pub, "events": evs, "figures": figs})
with open(Path(__file__).resolve().parent.parent / 'gold' / 'samples_gold.jsonl', 'w', encoding='utf-8') as fh:
    for o in out:
        fh.write(json.dumps(o, ensure_ascii=False) + "\n")
print(sum(len(o['events']) for o in out), sum(len(o['figures']) for o in out))
