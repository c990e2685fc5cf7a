#!/usr/bin/env bash
# Baseline hardening for Amazon Linux 2023 at bake time, after the CIS Amazon Linux 2023 Benchmark.
#
#   LEVEL=cis-1  (default) Level 1: settings that do not get in the way of a normal server.
#   LEVEL=cis-2            Level 1 plus stricter audit rules, no USB storage and a noexec /tmp.
#
# The script is idempotent: running it twice leaves the same image. It changes nothing that needs a
# reboot to be safe, because the builder instance is stopped and imaged right after provisioning.
set -euo pipefail

LEVEL="${LEVEL:-cis-1}"
case "$LEVEL" in
  cis-1 | cis-2) ;;
  *)
    echo "harden.sh: unknown LEVEL '$LEVEL' (expected cis-1 or cis-2)" >&2
    exit 2
    ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  exec sudo --preserve-env=LEVEL "$0" "$@"
fi

log() { printf 'harden.sh [%s]: %s\n' "$LEVEL" "$*"; }

unit_exists() { systemctl list-unit-files --no-legend "$1" 2>/dev/null | grep -q .; }

log "applying security updates"
dnf -y -q upgrade --security
dnf -y -q install audit aide chrony

log "removing legacy network clients and servers"
for pkg in telnet telnet-server rsh rsh-server tftp tftp-server ypbind ypserv talk xinetd; do
  if rpm -q "$pkg" >/dev/null 2>&1; then
    dnf -y -q remove "$pkg"
  fi
done

log "disabling services that a fleet instance does not need"
for unit in rpcbind.service rpcbind.socket avahi-daemon.service cups.service nfs-server.service postfix.service; do
  if unit_exists "$unit"; then
    systemctl disable --now "$unit"
    systemctl mask "$unit"
  fi
done

log "disabling unused file systems and protocols"
modules=(cramfs freevxfs hfs hfsplus jffs2 udf dccp sctp rds tipc)
if [ "$LEVEL" = "cis-2" ]; then
  modules+=(usb-storage)
fi
: >/etc/modprobe.d/cis.conf
for module in "${modules[@]}"; do
  printf 'install %s /bin/false\nblacklist %s\n' "$module" "$module" >>/etc/modprobe.d/cis.conf
done
chmod 0644 /etc/modprobe.d/cis.conf

log "setting kernel parameters"
cat >/etc/sysctl.d/60-cis.conf <<'SYSCTL'
# Network: this host is not a router.
net.ipv4.ip_forward = 0
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.default.send_redirects = 0
net.ipv4.conf.all.accept_redirects = 0
net.ipv4.conf.default.accept_redirects = 0
net.ipv4.conf.all.secure_redirects = 0
net.ipv4.conf.default.secure_redirects = 0
net.ipv4.conf.all.accept_source_route = 0
net.ipv4.conf.default.accept_source_route = 0
net.ipv4.conf.all.log_martians = 1
net.ipv4.conf.default.log_martians = 1
net.ipv4.conf.all.rp_filter = 1
net.ipv4.conf.default.rp_filter = 1
net.ipv4.icmp_echo_ignore_broadcasts = 1
net.ipv4.icmp_ignore_bogus_error_responses = 1
net.ipv4.tcp_syncookies = 1
net.ipv6.conf.all.accept_ra = 0
net.ipv6.conf.default.accept_ra = 0
net.ipv6.conf.all.accept_redirects = 0
net.ipv6.conf.default.accept_redirects = 0
# Process and memory protections.
kernel.randomize_va_space = 2
kernel.dmesg_restrict = 1
kernel.kptr_restrict = 2
kernel.yama.ptrace_scope = 1
fs.suid_dumpable = 0
SYSCTL
chmod 0644 /etc/sysctl.d/60-cis.conf

log "disabling core dumps"
printf '* hard core 0\n' >/etc/security/limits.d/60-cis.conf
mkdir -p /etc/systemd/coredump.conf.d
printf '[Coredump]\nStorage=none\nProcessSizeMax=0\n' >/etc/systemd/coredump.conf.d/60-cis.conf

log "hardening sshd"
cat >/etc/ssh/sshd_config.d/50-cis.conf <<'SSHD'
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitEmptyPasswords no
HostbasedAuthentication no
IgnoreRhosts yes
PermitUserEnvironment no
X11Forwarding no
AllowTcpForwarding no
MaxAuthTries 4
MaxStartups 10:30:60
MaxSessions 10
LoginGraceTime 60
ClientAliveInterval 300
ClientAliveCountMax 3
LogLevel VERBOSE
Banner /etc/issue.net
SSHD
chmod 0600 /etc/ssh/sshd_config.d/50-cis.conf
sshd -t

log "writing login banners"
banner='Authorized use only. Activity on this system is monitored and recorded.'
printf '%s\n' "$banner" | tee /etc/issue /etc/issue.net >/dev/null
: >/etc/motd
chmod 0644 /etc/issue /etc/issue.net /etc/motd

log "configuring auditd"
cat >/etc/audit/rules.d/50-cis.rules <<'AUDIT'
-w /etc/passwd -p wa -k identity
-w /etc/group -p wa -k identity
-w /etc/shadow -p wa -k identity
-w /etc/gshadow -p wa -k identity
-w /etc/sudoers -p wa -k scope
-w /etc/sudoers.d -p wa -k scope
-w /var/log/lastlog -p wa -k logins
-w /var/run/faillock -p wa -k logins
-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change
-w /etc/localtime -p wa -k time-change
-a always,exit -F arch=b64 -S sethostname,setdomainname -k system-locale
-w /etc/hosts -p wa -k system-locale
AUDIT
if [ "$LEVEL" = "cis-2" ]; then
  cat >>/etc/audit/rules.d/50-cis.rules <<'AUDIT'
-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat -F auid>=1000 -F auid!=unset -k perm_mod
-a always,exit -F arch=b64 -S chown,fchown,lchown,fchownat -F auid>=1000 -F auid!=unset -k perm_mod
-a always,exit -F arch=b64 -S unlink,unlinkat,rename,renameat -F auid>=1000 -F auid!=unset -k delete
-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k modules
-e 2
AUDIT
fi
chmod 0640 /etc/audit/rules.d/50-cis.rules
sed -i 's/^max_log_file_action.*/max_log_file_action = keep_logs/' /etc/audit/auditd.conf
systemctl enable auditd

if [ "$LEVEL" = "cis-2" ]; then
  log "mounting /tmp with nodev,nosuid,noexec"
  mkdir -p /etc/systemd/system/tmp.mount.d
  printf '[Mount]\nOptions=mode=1777,strictatime,nodev,nosuid,noexec\n' >/etc/systemd/system/tmp.mount.d/60-cis.conf
  systemctl enable tmp.mount
fi

log "tightening permissions of account and scheduler files"
chmod 0644 /etc/passwd /etc/group
chmod 0000 /etc/shadow /etc/gshadow
chown root:root /etc/passwd /etc/group /etc/shadow /etc/gshadow
if [ -f /etc/crontab ]; then
  chmod 0600 /etc/crontab
fi
for dir in /etc/cron.hourly /etc/cron.daily /etc/cron.weekly /etc/cron.monthly /etc/cron.d; do
  if [ -d "$dir" ]; then
    chmod 0700 "$dir"
  fi
done

log "initialising the file integrity database"
aide --init >/dev/null
mv -f /var/lib/aide/aide.db.new.gz /var/lib/aide/aide.db.gz

log "cleaning up the builder's traces"
dnf clean all -q
rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub
rm -f /root/.bash_history /home/*/.bash_history
find /var/log -type f -name '*.log' -exec truncate -s 0 {} +

log "done"
