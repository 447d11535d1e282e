# rump-addon.mk - the second addon: the same engine, transports, backends
# and N-API code as binding.gyp's, with the system-call table's rump
# instance (native/os/rump*.cc) instead of the host's, linked with the NetBSD
# rump kernel that scripts/build-rump.sh built into .rump/ (issue 15).
#
#   make -f scripts/rump-addon.mk -j2     (npm run build:rump-addon)
#
# Output: .rump/pollmatrix-rump.node, stripped, and its objects in
# .rump/addon-obj/ (rebuilt when a source or a header they include
# changed). Never committed: it contains NetBSD code built here (.gitignore:
# /.rump/).
#
# How it differs from binding.gyp:
#  - native/os/netbsd/ comes first on the include path: <poll.h> and
#    <sys/event.h> are NetBSD's there (native/os/os.h, "Vocabulary");
#  - HAVE_KQUEUE and PM_KQUEUE1 (NetBSD's kqueue1()): the four kqueue
#    backends are built; no HAVE_EPOLL, no HAVE_IO_URING (those stay in the
#    list, unavailable, with the reason);
#  - the rump kernel's PIC archives are linked whole (its components
#    register themselves from constructors), and a version script exports
#    only the N-API entry points: --exclude-libs,ALL alone leaves the
#    kernel's __start_link_set_* symbols exported (rump-findings §2).
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
RUMP := $(ROOT)/.rump
OBJ := $(RUMP)/addon-obj
OUT := $(RUMP)/pollmatrix-rump.node

CXX ?= c++
NODE ?= node
NAPI_INCLUDE := $(shell cd $(ROOT) && $(NODE) -p "require('path').resolve(require('node-addon-api').include_dir)")
# node_api.h from Node's own headers, or node-gyp's copy of them.
NODE_INCLUDE := $(firstword $(wildcard $(shell $(NODE) -p "require('path').join(process.execPath, '..', '..', 'include', 'node')")/node_api.h) \
	$(wildcard $(HOME)/.cache/node-gyp/$(shell $(NODE) -p 'process.versions.node')/include/node/node_api.h))
ifeq ($(NODE_INCLUDE),)
$(error no node_api.h: neither Node's include/node nor node-gyp's cache has it (npx node-gyp install fetches them))
endif
ifeq ($(wildcard $(RUMP)/BUILD-INFO),)
$(error no rump kernel in $(RUMP): npm run build:rump builds it)
endif

SOURCES := $(sort $(foreach d,napi engine workers backends transports,$(wildcard $(ROOT)/native/$(d)/*.cc))) \
	$(ROOT)/native/os/rump.cc $(ROOT)/native/os/rump_settle.cc $(ROOT)/native/os/rump_errnos.cc
OBJECTS := $(patsubst $(ROOT)/native/%.cc,$(OBJ)/%.o,$(SOURCES))
HASH := $(shell cd $(ROOT) && $(NODE) native/source-hash.cjs)

CXXFLAGS := -std=c++17 -O2 -fPIC -pthread -Wall -Wextra -Werror=switch \
	-DNAPI_VERSION=8 -DNAPI_DISABLE_CPP_EXCEPTIONS -DHAVE_KQUEUE -DPM_KQUEUE1 \
	-I$(ROOT)/native/os/netbsd -I$(NAPI_INCLUDE) -I$(dir $(NODE_INCLUDE)) -I$(RUMP)/include
ARCHIVES := $(addprefix $(RUMP)/lib/lib,$(addsuffix _pic.a,rumpnet_local rumpnet_netinet6 rumpnet_netinet rumpnet_net rumpnet rumpvfs rump rumpuser))

$(OUT): $(OBJECTS) $(OBJ)/addon.map $(ARCHIVES)
	@echo "  LD  $(notdir $@)"
	@$(CXX) -shared -pthread -o $@.tmp $(OBJECTS) \
		-Wl,--whole-archive $(ARCHIVES) -Wl,--no-whole-archive -Wl,--exclude-libs,ALL \
		-Wl,--version-script=$(OBJ)/addon.map -Wl,-s
	@mv $@.tmp $@
	@echo "rump-addon: $(OUT) $$(stat -c %s $(OUT)) bytes (source hash $(HASH))"

# The hash of native/ goes into napi/module.cc only (sourceHash): it is
# rebuilt when the hash changes, which a stamp file records.
$(OBJ)/napi/module.o: $(OBJ)/source-hash.$(HASH)
$(OBJ)/source-hash.$(HASH):
	@mkdir -p $(OBJ)
	@rm -f $(OBJ)/source-hash.*
	@touch $@

$(OBJ)/%.o: $(ROOT)/native/%.cc
	@mkdir -p $(dir $@)
	@echo "  CXX native/$*.cc"
	@$(CXX) $(CXXFLAGS) -DPOLLMATRIX_SOURCE_HASH=$(HASH) -MMD -MP -c -o $@ $<

$(OBJ)/addon.map:
	@mkdir -p $(OBJ)
	@printf '{ global: napi_register_module_v1; node_api_module_get_api_version_v1; local: *; };\n' >$@

-include $(OBJECTS:.o=.d)
