-- TPC-DS Q79 (Appendix B.79): coupon amount and net profit per Monday ticket in mid-sized stores,
-- over three years, for households with a given dependent count or more than a given vehicle count.
-- @param DEPCNT 6 ~ uniform(0, 9)
-- @param YEAR 1999 ~ uniform(1998, 2000)
-- @param VEHCNT 2 ~ uniform(-1, 4)
with monday_tickets as (
    select
        ss_ticket_number,
        ss_customer_sk,
        s_city,
        sum(ss_coupon_amt) as amt,
        sum(ss_net_profit) as profit
    from store_sales, date_dim, store, household_demographics
    where ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and ss_hdemo_sk = hd_demo_sk
      and (hd_dep_count = ${DEPCNT} or hd_vehicle_count > ${VEHCNT})
      and d_dow = 1
      and d_year in (${YEAR}, ${YEAR} + 1, ${YEAR} + 2)
      and s_number_employees between 200 and 295
    group by ss_ticket_number, ss_customer_sk, ss_addr_sk, s_city
)
select
    c_last_name,
    c_first_name,
    substr(s_city, 1, 30) as city,
    ss_ticket_number,
    amt,
    profit
from monday_tickets, customer
where ss_customer_sk = c_customer_sk
order by c_last_name, c_first_name, substr(s_city, 1, 30), profit
limit 100
