-- TPC-DS Q93 (Appendix B.93): per customer, the store sales net of returned quantities, over the sales
-- that were returned for a given reason.
-- @param REASON 'reason 28' ~ choice(vocab('return_reasons'))
with returned_sales as (
    select
        ss_customer_sk,
        case
            when sr_return_quantity is not null then (ss_quantity - sr_return_quantity) * ss_sales_price
            else ss_quantity * ss_sales_price
        end as act_sales
    from store_sales
    join store_returns
        on sr_item_sk = ss_item_sk
        and sr_ticket_number = ss_ticket_number
    join reason
        on sr_reason_sk = r_reason_sk
    where r_reason_desc = '${REASON}'
)
select
    ss_customer_sk,
    sum(act_sales) as sumsales
from returned_sales
group by ss_customer_sk
order by sumsales, ss_customer_sk
limit 100
